"""`python -m promiselint.cli`."""
from .exit import run

run()
