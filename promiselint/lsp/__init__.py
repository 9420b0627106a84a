"""The language server (`promiselint lsp`); pygls is imported only when it runs."""
from __future__ import annotations

import click


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over stdin/stdout (the default, and the only transport).")
def lsp_cmd(stdio):
    """Run the language server over stdio (for editors: see README, "In your editor")."""
    from promiselint.core.errors import UsageError

    try:
        from .server import main
    except ImportError as e:  # pragma: no cover - pygls is a dependency
        raise UsageError(f"the language server needs pygls ({e}); pip install 'pygls>=2.1'")
    main()
