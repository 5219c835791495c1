"""`canhgiac signatures export PATH` and `canhgiac signatures import PATH`: the stored library as a file.

The file is JSON Lines: one signature per line (its fields as in `knowledge/signatures/*.toml`, plus `enabled`).
Import also takes a folder of signature TOML files (the shipped layout). Everything is validated before anything
is written, so a malformed file is rejected with its file and line and nothing is half-imported; a signature
whose stored form is the same is left alone, so importing a file twice changes nothing. New and changed
signatures go through the false-alarm guard, as in the chat: any genuine message flagged needs `--yes`, and
more than `[signatures] guard_max_share` of them needs `--force` (the command-line operator stands for a
superadmin). Each change is a new version by the actor "cli", and the import is one line in the audit log.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from handlers.ports import SignatureRecord
from knowledge import Signature, SignatureError, load_directory, signature_from_dict

ACTOR = "cli"
SHOWN_FLAGGED = 3


@dataclass(frozen=True, slots=True)
class Imported:
    signature: Signature
    enabled: bool


def run_export(settings: Settings, path: Path, out: TextIO, err: TextIO) -> int:
    """Write every stored signature (officers' edits included) as JSON Lines; the shipped library is seeded
    first, as the bot does at start, so a new database exports what the bot would use."""
    from bot.app import build_app

    async def stored() -> list[SignatureRecord]:
        app = await build_app(settings)
        try:
            return await app.deps.repos.signatures.list_all()
        finally:
            await app.close()

    records = asyncio.run(stored())
    lines = [json.dumps({**r.data, "enabled": r.enabled}, ensure_ascii=False, sort_keys=True) for r in records]
    try:
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    except OSError as exc:
        err.write(f"canhgiac: cannot write {path}: {exc}\n")
        return 2
    out.write(f"exported {len(lines)} signatures to {path}\n")
    return 0


def read_signatures(path: Path) -> list[Imported]:
    """Every signature in a JSON Lines file or a folder of TOML files; SignatureError names file and line."""
    if path.is_dir():
        return [Imported(s, True) for s in load_directory(path)]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SignatureError(f"cannot be read: {exc}", str(path)) from exc
    found: list[Imported] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            data = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise SignatureError(f"not valid JSON: {exc}", str(path), number) from None
        if not isinstance(data, dict):
            raise SignatureError("a line must be one JSON object", str(path), number)
        enabled = data.pop("enabled", True)
        if not isinstance(enabled, bool):
            raise SignatureError("enabled must be true or false", str(path), number)
        try:
            signature = signature_from_dict(data)
        except SignatureError as exc:
            raise SignatureError(str(exc), str(path), number) from None
        if signature.id in seen:
            raise SignatureError(f"signature {signature.id!r} appears twice", str(path), number)
        seen.add(signature.id)
        found.append(Imported(signature, enabled))
    return found


def run_import(settings: Settings, path: Path, *, yes: bool, force: bool, out: TextIO, err: TextIO) -> int:
    """Validate, guard, then store: 0 when imported (or nothing to do), 1 when the guard stopped it, 2 on bad input."""
    try:
        incoming = read_signatures(path)
    except SignatureError as exc:
        err.write(f"canhgiac: nothing imported: {exc}\n")
        return 2
    return asyncio.run(_import(settings, incoming, yes=yes, force=force, out=out, err=err))


async def _import(
    settings: Settings, incoming: list[Imported], *, yes: bool, force: bool, out: TextIO, err: TextIO
) -> int:
    from bot.app import build_app

    app = await build_app(settings)
    try:
        repos, risk, now = app.deps.repos, app.deps.risk, app.deps.now()
        stored = {r.id: r for r in await repos.signatures.list_all()}
        changed = [i for i in incoming if _differs(i, stored.get(i.signature.id))]
        if not changed:
            out.write(f"{len(incoming)} signatures read; all already stored as they are: nothing changed\n")
            return 0
        worst = 0.0
        for item in changed:
            result = await risk.guard(item.signature)
            worst = max(worst, result.share)
            if result.flagged:
                out.write(
                    f"{item.signature.id}: would flag {len(result.flagged)} of {result.checked} genuine messages"
                    f" ({result.share:.2%}), e.g.:\n"
                )
                out.writelines(f"  - {text[:160]}\n" for text in result.flagged[:SHOWN_FLAGGED])
        limit = settings.signatures.guard_max_share
        if worst > limit and not force:
            err.write(f"canhgiac: nothing imported: above {limit:.2%} of genuine messages flagged; --force to import\n")
            return 1
        if worst > 0 and not (yes or force):
            err.write("canhgiac: nothing imported: genuine messages would be flagged; --yes to import anyway\n")
            return 1
        for item in changed:
            record = stored.get(item.signature.id)
            if record is None or record.data != item.signature.to_dict():
                data = item.signature.to_dict()
                await repos.signatures.save_officer_edit(item.signature.id, data, ACTOR, now, "import")
            if (record.enabled if record else True) != item.enabled:
                await repos.signatures.set_enabled(item.signature.id, item.enabled, ACTOR, now)
        ids = ", ".join(i.signature.id for i in changed)
        target = f"signatures:{len(changed)}"
        await repos.audit.add(actor=ACTOR, action="sig_import", target=target, detail=ids[:500], at=now)
        out.write(f"{len(incoming)} signatures read; {len(changed)} added or changed: {ids}\n")
        return 0
    finally:
        await app.close()


def _differs(item: Imported, record: SignatureRecord | None) -> bool:
    return record is None or record.data != item.signature.to_dict() or record.enabled != item.enabled
