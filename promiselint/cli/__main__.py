"""`python -m promiselint.cli`."""
from .app import main

main()
