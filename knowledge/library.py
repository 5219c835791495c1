"""Loading the signature library: the shipped files, or any folder of signature files."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from knowledge.data_files import folder_texts
from knowledge.signature import Signature, SignatureError, parse_signature_toml


@dataclass(frozen=True, slots=True)
class Library:
    """An ordered, id-unique collection of signatures."""

    signatures: tuple[Signature, ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for sig in self.signatures:
            if sig.id in seen:
                raise SignatureError(f"duplicate signature id {sig.id!r}")
            seen.add(sig.id)

    def get(self, signature_id: str) -> Signature | None:
        return next((s for s in self.signatures if s.id == signature_id), None)

    def __len__(self) -> int:
        return len(self.signatures)

    def __iter__(self) -> Iterator[Signature]:
        return iter(self.signatures)


def signature_hash(signature: Signature) -> str:
    """Stable content hash, used to tell whether a shipped signature changed between releases."""
    payload = json.dumps(signature.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()[:16]


def load_directory(path: Path) -> Library:
    """Load every `*.toml` in a folder; a malformed file raises SignatureError naming file and line."""
    files = ((p.name, p.read_text("utf-8")) for p in sorted(Path(path).glob("*.toml")))
    return Library(tuple(_parse_files(files, str(path))))


def load_shipped_library() -> Library:
    """The signatures shipped inside the package (`knowledge/signatures/*.toml`)."""
    return Library(tuple(_parse_files(folder_texts("signatures"), "knowledge/signatures")))


def _parse_files(files: Iterable[tuple[str, str]], folder: str) -> Iterator[Signature]:
    """Each (file name, text) as a signature whose id must be the file name; errors name `folder/file`."""
    for name, text in files:
        yield parse_signature_toml(text, source=f"{folder}/{name}", expected_id=name.removesuffix(".toml"))
