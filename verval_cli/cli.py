"""The `verval` command line: parses options, calls one library function, renders the result."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Reconcile verval data.")


@app.callback()
def _root() -> None:
    """verval: check, match and report village verval submissions against the province list."""


def main() -> None:
    """Entry point of the console script."""
    app()
