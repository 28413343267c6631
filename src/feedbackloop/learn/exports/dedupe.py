"""Near-duplicate examples are dropped: one copy of a templated answer teaches as much as a thousand.

Two checks share one fixed-size table of 64-bit fingerprints:
- the exact check: the text normalised (case, punctuation, digits, whitespace; placeholders are
  already uniform after redaction) and hashed, so "Order 1234 shipped!" equals "order 5678 shipped";
- the near check, MinHash-lite: 32 min-hashes over word 3-shingles, banded 4 × 8, so two texts
  whose shingle sets overlap by about 80 % or more (Jaccard) share a band and the later one goes.
Each kept example stores 5 fingerprints (8 bytes each) in a preallocated open-addressing table
(32 MiB): memory is constant whatever the export's size. When the table is 70 % full, later
examples are still checked against everything stored but no longer stored themselves, and the
export says so.
"""

from __future__ import annotations

import hashlib
import random
import re
from array import array

SHINGLE_WORDS = 3
BANDS = 4
ROWS = 8
MERSENNE = (1 << 61) - 1
TABLE_SLOTS = 1 << 22
MAX_LOAD = 0.7
#: What the summary reports as the overlap threshold.
THRESHOLD_TEXT = ("near = the same words after normalising, or word 3-shingle sets overlapping by about 84 % "
                  "(Jaccard; MinHash, 4 bands x 8 rows)")
_WORD = re.compile(r"\[[A-Z]+\]|\w+")
_PERMUTATIONS = [(random.Random(7919 + i).randrange(1, MERSENNE), random.Random(104729 + i).randrange(MERSENNE))
                 for i in range(BANDS * ROWS)]


def normalise(text: str) -> list[str]:
    """The words that matter for sameness: lower case, digits folded to 0, punctuation gone."""
    return [re.sub(r"\d", "0", word) for word in _WORD.findall(text.lower())]


def hash64(text: str) -> int:
    """A stable 64-bit hash, never 0 (0 marks an empty slot); unlike hash(), the same in every run."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big") or 1


def fingerprints(text: str) -> list[int]:
    """The exact fingerprint, then one per MinHash band."""
    words = normalise(text)
    exact = hash64("exact\x00" + " ".join(words))
    if len(words) < SHINGLE_WORDS:
        return [exact]
    shingles = {hash64(" ".join(words[i:i + SHINGLE_WORDS])) for i in range(len(words) - SHINGLE_WORDS + 1)}
    signature = [min((a * s + b) % MERSENNE for s in shingles) for a, b in _PERMUTATIONS]
    bands = [hash64(f"band{band}\x00" + ",".join(map(str, signature[band * ROWS:(band + 1) * ROWS])))
             for band in range(BANDS)]
    return [exact, *bands]


class FingerprintTable:
    """A set of non-zero 64-bit integers in a fixed array (linear probing), 8 bytes a slot."""

    def __init__(self, slots: int = TABLE_SLOTS) -> None:
        if slots & (slots - 1):
            raise ValueError("slots must be a power of two")
        self._slots = array("Q", bytes(8 * slots))
        self._mask = slots - 1
        self._used = 0
        self.saturated = False

    def _find(self, value: int) -> int:
        """The slot holding `value`, or the empty slot where it would go."""
        index = (value * 0x9E3779B97F4A7C15 >> 16) & self._mask
        while self._slots[index] not in (0, value):
            index = (index + 1) & self._mask
        return index

    def __contains__(self, value: int) -> bool:
        return self._slots[self._find(value)] == value

    def add(self, value: int) -> None:
        if self._used >= MAX_LOAD * len(self._slots):
            self.saturated = True
            return
        index = self._find(value)
        if self._slots[index] == 0:
            self._slots[index] = value
            self._used += 1


class NearDuplicates:
    """Remembers the examples kept so far; says whether a new one repeats one of them."""

    def __init__(self, slots: int = TABLE_SLOTS) -> None:
        self._slots = slots
        self._table: FingerprintTable | None = None  # allocated on first use: ratings never need it

    @property
    def saturated(self) -> bool:
        return self._table is not None and self._table.saturated

    def seen(self, text: str) -> bool:
        """True if `text` (near-)duplicates a kept example; otherwise remember it and return False."""
        return self.match(text) is not None

    def match(self, text: str) -> str | None:
        """"exact" or "near" if `text` repeats a kept example; otherwise remember it and return None."""
        if self._table is None:
            self._table = FingerprintTable(self._slots)
        prints = fingerprints(text)
        if prints[0] in self._table:
            return "exact"
        if any(p in self._table for p in prints[1:]):
            return "near"
        for p in prints:
            self._table.add(p)
        return None
