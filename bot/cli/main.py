"""The `canhgiac` command line: run, chat, check, eval, and the officer tools (alerts, indicators, train, purge)."""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings

CONFIG_HELP = "path to a TOML config file (see config.example.toml); or set CANHGIAC_CONFIG"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="canhgiac", description="Cảnh Giác: kiểm tra tin nhắn lừa đảo / scam checker")
    parser.add_argument("--config", type=Path, default=None, help=CONFIG_HELP)
    # `--config` is also accepted after the command (`canhgiac run --config FILE`); SUPPRESS keeps a value given
    # before the command from being reset by the subcommand's default.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=argparse.SUPPRESS, help=CONFIG_HELP)
    sub = parser.add_subparsers(dest="command", required=True)
    add_parser = functools.partial(sub.add_parser, parents=[common])

    check = add_parser("check", help="check one message (argument or stdin), or a JSON-lines batch")
    check.add_argument("text", nargs="?", help="the message; read from stdin when absent")
    check.add_argument("--json", action="store_true", help="print the verdict as JSON")
    check.add_argument("--jsonl", metavar="FILE", help='read {"id","text"} lines from FILE ("-" for stdin)')
    check.add_argument("--lang", choices=("vi", "en"), default="vi")
    check.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="processes for --jsonl (default: one per core)"
    )

    run = add_parser("run", help="start every platform whose token is set (console chat when none is)")
    run.add_argument(
        "--as",
        dest="role",
        choices=("citizen", "officer", "superadmin"),
        default="citizen",
        help="console chat only: which role to try",
    )

    chat = add_parser("chat", help="chat with the bot in this terminal (a private chat)")
    chat.add_argument("--as", dest="role", choices=("citizen", "officer", "superadmin"), default="citizen")

    add_parser("config", help="print the effective settings, secrets redacted")

    alerts = add_parser("alerts", help="daily alerts: run a round by hand")
    alerts_sub = alerts.add_subparsers(dest="alerts_command", required=True)
    run_due = alerts_sub.add_parser(
        "run-due", parents=[common], help="queue the alerts due now and send them (configured platforms)"
    )
    run_due.add_argument("--now", metavar="ISO-TIME", help="pretend it is this time (e.g. 2026-05-01T08:00+07:00)")

    signatures = add_parser("signatures", help="the stored signature library as a file: export, import")
    signatures_sub = signatures.add_subparsers(dest="signatures_command", required=True)
    export = signatures_sub.add_parser("export", parents=[common], help="write every stored signature (JSON Lines)")
    export.add_argument("path", type=Path)
    imp = signatures_sub.add_parser(
        "import", parents=[common], help="validate, run the false-alarm guard and store (JSON Lines or a TOML folder)"
    )
    imp.add_argument("path", type=Path)
    imp.add_argument("--yes", action="store_true", help="import even if some genuine messages would be flagged")
    imp.add_argument("--force", action="store_true", help="import even above [signatures] guard_max_share")

    stats = add_parser("stats", help="officers' statistics: print the summary and write the chart (PNG)")
    stats.add_argument("--days", default="7", metavar="N", help="the last N days, today included: 1 to 365 (default 7)")
    stats.add_argument("--out", type=Path, required=True, metavar="FILE.png", help="where to write the chart")
    stats.add_argument("--lang", choices=("vi", "en"), default="vi")

    indicators = add_parser("indicators", help="the list of verified and reported phone numbers, links and accounts")
    indicators_sub = indicators.add_subparsers(dest="indicators_command", required=True)
    list_import = indicators_sub.add_parser(
        "import",
        parents=[common],
        help="import a public blocklist: one value per line, blank lines and # comments allowed; idempotent",
    )
    list_import.add_argument("path", type=Path, help="the list file (UTF-8)")
    list_import.add_argument("--kind", required=True, choices=("domain", "url", "phone", "account"))
    list_import.add_argument(
        "--status",
        choices=("verified", "reported"),
        default="verified",
        help="verified (default): every check containing a value is high; reported: shown as on a warning list",
    )
    list_import.add_argument("--note", default=None, help="kept with each new entry, e.g. where the list comes from")

    purge = add_parser("purge", help="delete or blank what is older than [retention] allows; prints counts only")
    purge.add_argument("--dry-run", action="store_true", help="count what would be removed, change nothing")

    ev = add_parser("eval", help="measure recall and false-positive rates on labelled corpus files")
    ev.add_argument("files", nargs="*", type=Path)
    ev.add_argument("--errors", action="store_true", help="list missed scams and false alarms")

    tr = add_parser("train", help="train the learned layer from the training corpus (needs the `train` extra)")
    tr.add_argument("files", nargs="*", type=Path, help="labelled JSON-lines files (default: tests/corpus/train/)")
    tr.add_argument(
        "--include-reviewed", action="store_true", help="also learn from reports officers decided, in the database"
    )
    tr.add_argument("--output", type=Path, default=None, help="where to write the model (default: the shipped one)")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return _dispatch(argv)
    except BrokenPipeError:
        # The reader went away (`canhgiac train | head`): stop quietly, as other command-line tools do, and keep
        # the interpreter's final flush of stdout from raising again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _dispatch(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    from bot.config import load_settings
    from bot.logs import configure_logging

    try:
        settings = load_settings(args.config)
    except (FileNotFoundError, ValueError) as exc:
        sys.stderr.write(f"canhgiac: {exc}\n")
        return 2
    configure_logging(_log_level(args.command, settings), settings.secret_values())
    if args.command == "alerts":
        from bot.cli.alerts import run_due_command

        return run_due_command(settings, args.now, sys.stdout, sys.stderr)
    if args.command == "signatures":
        from bot.cli.signatures import run_export, run_import

        if args.signatures_command == "export":
            return run_export(settings, args.path, sys.stdout, sys.stderr)
        return run_import(settings, args.path, yes=args.yes, force=args.force, out=sys.stdout, err=sys.stderr)
    if args.command == "stats":
        from bot.cli.stats import run_stats

        return run_stats(settings, args.days, args.out, args.lang, out=sys.stdout, err=sys.stderr)
    if args.command == "indicators":
        from bot.cli import indicators as indicator_list

        return indicator_list.run_import(
            settings, args.path, kind=args.kind, status=args.status, note=args.note, out=sys.stdout, err=sys.stderr
        )
    if args.command == "purge":
        from bot.cli.purge import run_purge

        return run_purge(settings, dry_run=args.dry_run, out=sys.stdout)
    if args.command == "config":
        import json

        sys.stdout.write(json.dumps(settings.redacted(), ensure_ascii=False, indent=2) + "\n")
        return 0
    if args.command == "train":
        from bot.cli.train import run_train

        return run_train(
            args.files,
            args.output,
            include_reviewed=args.include_reviewed,
            settings=settings,
            out=sys.stdout,
            err=sys.stderr,
        )
    if args.command in ("run", "chat"):
        from bot.cli.run import run_bot, run_console

        if args.command == "chat":
            return asyncio.run(run_console(settings, args.role))
        return asyncio.run(run_bot(settings, args.role))
    from bot.cli.engine import run_check, run_eval, run_jsonl
    from knowledge import Engine

    engine = Engine(max_chars=settings.limits.max_text_chars)
    if args.command == "check":
        if args.jsonl:
            if args.jsonl == "-":
                return run_jsonl(engine, sys.stdin, sys.stdout, args.lang, args.workers)
            with Path(args.jsonl).open(encoding="utf-8", errors="replace") as source:
                return run_jsonl(engine, source, sys.stdout, args.lang, args.workers)
        return run_check(engine, args.text, args.json, args.lang, sys.stdout)
    if args.command == "eval":
        try:
            run_eval(engine, args.files, sys.stdout, args.errors)
        except BrokenPipeError:
            raise  # the reader went away: `main` stops quietly
        except (OSError, ValueError) as exc:
            sys.stderr.write(f"canhgiac: {exc}\n")
            return 2
        return 0
    return 2


def _log_level(command: str, settings: Settings) -> int:
    """`[logging] level` (INFO unless set); but a conversation in the terminal (`chat`, or `run` with no token)
    and `stats` show only problems unless a level is set explicitly."""
    level: int = logging.getLevelNamesMapping()[settings.logging.level]
    if "level" in settings.logging.model_fields_set:
        return level
    if command in ("chat", "stats"):
        return logging.WARNING
    if command == "run":
        from bot.cli.run import console_only

        return logging.WARNING if console_only(settings) else level
    return level


if __name__ == "__main__":
    sys.exit(main())
