"""Writing records line by line: JSON Lines or CSV, one file or a train/test pair.

Files are written under a temporary name beside the target and renamed when the export ends,
so a failed or interrupted export never leaves a half file where a pipeline would pick it up.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

SPLITS = ("train", "test")
#: Bytes written per system call: a million rows are ~550 MB, 8 KiB at a time is 70 000 calls.
WRITE_BUFFER = 1 << 20
#: `json.dumps(record, ensure_ascii=False, allow_nan=False)` without building an encoder per line.
JSON_LINE = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


def split_paths(out: str) -> dict[str, Path]:
    """FILE → {"train": FILE.train.ext, "test": FILE.test.ext} ("sft.jsonl" → "sft.train.jsonl")."""
    path = Path(out)
    stem, suffix = (path.name[: -len(path.suffix)], path.suffix) if path.suffix else (path.name, "")
    return {split: path.with_name(f"{stem}.{split}{suffix}") for split in SPLITS}


def csv_value(value: Any) -> str:
    """A CSV cell: empty for null, true/false for booleans (what spreadsheets and pandas read back)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


Encode = Callable[[dict[str, Any]], str]


def line_encoder(fmt: str, columns: Sequence[str] | None) -> Encode:
    """A record → its line, newline included: the same text whether the export's own process or a
    worker process (`exports.parallel`) encodes it."""
    if fmt != "csv":
        return lambda record: JSON_LINE(record) + "\n"
    names = list(columns or ())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def csv_line(record: dict[str, Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_value(record.get(name)) for name in names])
        return buffer.getvalue()

    return csv_line


class RecordFile:
    """One output stream of records."""

    def __init__(self, target: Path | None, fmt: str, columns: Sequence[str] | None) -> None:
        self.target = target
        self.count = 0
        self._temp = target.with_name(f".{target.name}.partial-{os.getpid()}") if target else None
        self._stream: IO[str] = open(self._temp, "w", encoding="utf-8", newline="",  # noqa: SIM115 - closed by close()
                                                buffering=WRITE_BUFFER) if self._temp else sys.stdout
        self._encode = line_encoder(fmt, columns)
        if fmt == "csv":
            csv.writer(self._stream, lineterminator="\n").writerow(list(columns or ()))

    def write(self, record: dict[str, Any]) -> None:
        self._stream.write(self._encode(record))
        self.count += 1

    def write_lines(self, text: str, count: int) -> None:
        """`count` records already encoded, in order."""
        self._stream.write(text)
        self.count += count

    def commit(self) -> None:
        self._stream.flush()
        if self._temp is not None and self.target is not None:
            self._stream.close()
            os.replace(self._temp, self.target)

    def abort(self) -> None:
        if self._temp is not None:
            self._stream.close()
            self._temp.unlink(missing_ok=True)


class Output:
    """Where an export's records go: FILE, or FILE's .train/.test pair when splitting; '-' is stdout."""

    def __init__(self, out: str, fmt: str, *, split: bool, columns: Sequence[str] | None = None,
                 shape: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> None:
        self.fmt = fmt
        self.columns = tuple(columns or ())
        self.shape = shape
        if split:
            self.files = {name: RecordFile(path, fmt, columns) for name, path in split_paths(out).items()}
        else:
            self.files = {"all": RecordFile(None if out == "-" else Path(out), fmt, columns)}
        self._out = out
        self.dropped: RecordFile | None = None  # NAME.dropped.jsonl, opened at the first near-duplicate

    def write(self, record: dict[str, Any], split: str | None) -> None:
        self.files[split or "all"].write(self.shape(record) if self.shape is not None else record)

    def write_lines(self, split: str | None, text: str, count: int) -> None:
        self.files[split or "all"].write_lines(text, count)

    def write_dropped(self, entry: dict[str, Any]) -> None:
        """A near-duplicate the export left out, listed beside the output (not for standard output)."""
        if self._out == "-":
            return
        if self.dropped is None:
            self.dropped = RecordFile(sidecar_path(self._out, "dropped.jsonl"), "jsonl", None)
        self.dropped.write(entry)

    def commit(self) -> None:
        for file in self._all():
            file.commit()

    def abort(self) -> None:
        for file in self._all():
            file.abort()

    def _all(self) -> list[RecordFile]:
        return [*self.files.values(), *([self.dropped] if self.dropped is not None else [])]


def sidecar_path(out: str, suffix: str) -> Path:
    """FILE → FILE's stem + "." + suffix ("out/sft.jsonl", "features.json" → "out/sft.features.json")."""
    path = Path(out)
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    return path.with_name(f"{stem}.{suffix}")
