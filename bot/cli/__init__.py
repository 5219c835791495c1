"""The `canhgiac` command line: run, chat, check, eval, config, alerts (parser and dispatch in `main.py`)."""

from bot.cli.main import main

__all__ = ["main"]
