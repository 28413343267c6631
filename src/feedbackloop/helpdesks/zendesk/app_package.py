"""The Zendesk app package: `manifest/` as the source, a zip Zendesk accepts as the product.

`build_package` zips manifest.json, requirements.json, translations/ and assets/ (nothing else:
Zendesk validates every file it is given) with the backend filled in:

* manifest.json: `version` from the package, the backend's host in `domainWhitelist` (ZAF sends a
  secure setting such as `api_token` only to whitelisted hosts, notes trap 22) and the backend
  URL as the `backend_url` parameter's default;
* requirements.json: rendered from the same `desired_resources` `feedbackloop install` uses, and
  only what Zendesk documents a requirement for: the ticket fields, the webhooks, the view and the
  macro (without its field preset: a requirement cannot name another requirement's field id).
  Zendesk app requirements cannot declare groups, and no Zendesk document we found says how a
  trigger requirement names a webhook requirement, so the review group and the three triggers come
  from `feedbackloop install` only: run it after uploading the app, and it adopts every object the
  app made by title, records its id, reads the signing secrets, creates the triggers (pointing at
  the webhook's real id) and completes the macro.

Images are PNGs written by a small pure-Python encoder (zlib + struct), so no imaging library is
needed; `png_size` reads the size back from the IHDR chunk for the package test.
"""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from feedbackloop import __version__
from feedbackloop.helpdesks.zendesk.install import Desired, Target, desired_resources

#: Our kinds → requirements.json's top-level keys (AppRequirement::TYPES in zendesk_apps_support).
#: No triggers: a trigger requirement would have to name the webhook requirement it calls, and how
#: is not documented; `feedbackloop install` creates the triggers with the webhook's real id.
REQUIREMENT_TYPES = {"ticket_field": "ticket_fields", "webhook": "webhooks", "view": "views", "macro": "macros"}
#: The backend URL the committed manifest/requirements.json is rendered with.
EXAMPLE_BACKEND_URL = "https://feedback.example.com"
PACKAGE_FILES = ("manifest.json", "requirements.json")
PACKAGE_DIRS = ("translations", "assets")
#: Fixed zip entry time, so the same sources give the same bytes.
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

Color = tuple[int, int, int, int]
BRAND: Color = (31, 115, 183, 255)
WHITE: Color = (255, 255, 255, 255)
CLEAR: Color = (0, 0, 0, 0)


# --- requirements.json ----------------------------------------------------------------------------


def requirement_id(want: Desired) -> str:
    """The requirement's identifier in requirements.json ("feedbackloop_trigger_solved")."""
    return f"feedbackloop_{want.kind}_{want.key}"


def requirement_body(want: Desired, resolved: Mapping[str, str]) -> dict[str, Any]:
    """The install body, minus what a requirement cannot express (the macro's field preset)."""
    body = want.build(resolved)
    if want.kind == "macro":
        body["actions"] = [a for a in body["actions"] if not str(a["field"]).startswith("custom_fields_")]
    return body


def render_requirements(backend_url: str) -> dict[str, dict[str, Any]]:
    """requirements.json for a backend at `backend_url`, from install's own list."""
    wanted = [w for w in desired_resources(Target(backend_url)) if w.kind in REQUIREMENT_TYPES]
    resolved = {w.ref: requirement_id(w) for w in wanted}
    requirements: dict[str, dict[str, Any]] = {}
    for want in wanted:
        requirements.setdefault(REQUIREMENT_TYPES[want.kind], {})[requirement_id(want)] = (
            requirement_body(want, resolved))
    return requirements


SIDEBAR_PATH = "/zendesk/sidebar"


def render_manifest(template: Mapping[str, Any], backend_url: str) -> dict[str, Any]:
    """The manifest with this backend whitelisted and preset, and the package's version."""
    manifest = json.loads(json.dumps(template))
    manifest["version"] = __version__
    manifest["domainWhitelist"] = [urlsplit(backend_url).hostname or ""]
    for parameter in manifest.get("parameters", []):
        if parameter.get("name") == "backend_url":
            parameter["default"] = backend_url.rstrip("/")
    # The sidebar is served by the backend: with signedUrls, Zendesk POSTs its JWT to this URL.
    sidebar = manifest.get("location", {}).get("support", {}).get("ticket_sidebar")
    if isinstance(sidebar, dict):
        sidebar["url"] = f"{backend_url.rstrip('/')}{SIDEBAR_PATH}"
    return dict(manifest)


def dumps(document: Any) -> str:
    """JSON as committed: two-space indent, trailing newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- the zip --------------------------------------------------------------------------------------


def package_sources(source: Path) -> Iterator[tuple[str, Path]]:
    """(name in the zip, file) for every file that belongs in the package, sorted."""
    for name in PACKAGE_FILES:
        yield name, source / name
    for folder in PACKAGE_DIRS:
        for path in sorted((source / folder).rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                yield path.relative_to(source).as_posix(), path


def package_contents(source: Path, backend_url: str) -> dict[str, bytes]:
    """Every file of the package, manifest and requirements rendered for `backend_url`."""
    manifest = render_manifest(json.loads((source / "manifest.json").read_text("utf-8")), backend_url)
    contents = {name: path.read_bytes() for name, path in package_sources(source)}
    contents["manifest.json"] = dumps(manifest).encode("utf-8")
    contents["requirements.json"] = dumps(render_requirements(backend_url)).encode("utf-8")
    return contents


def build_package(source: Path, out: Path, backend_url: str) -> Path:
    """Write the zip Zendesk accepts (manifest.json at its root) and return its path."""
    missing = [name for name in ("manifest.json", "translations/en.json", "assets/logo.png",
                                 "assets/logo-small.png") if not (source / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{source} is not an app source: missing {', '.join(missing)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(package_contents(source, backend_url).items()):
            archive.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return out


# --- PNG ------------------------------------------------------------------------------------------


def png_chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC of type + data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bytes(width: int, height: int, rgba: bytes) -> bytes:
    """An 8-bit RGBA PNG of `rgba` (rows top to bottom, no filter)."""
    if len(rgba) != width * height * 4:
        raise ValueError("pixel data does not match the size")
    stride = width * 4
    raw = b"".join(b"\x00" + rgba[y * stride:(y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return PNG_SIGNATURE + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b"")


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; ValueError for anything that is not a PNG."""
    if len(data) < 24 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


class Canvas:
    """An RGBA pixel buffer with the two shapes our images need."""

    def __init__(self, width: int, height: int, fill: Color) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(fill) * (width * height))

    def rect(self, x: int, y: int, w: int, h: int, color: Color) -> None:
        """Fill a rectangle (clipped to the canvas)."""
        x0, x1 = max(0, x), min(self.width, x + w)
        for row in range(max(0, y), min(self.height, y + h)):
            start = (row * self.width + x0) * 4
            self.pixels[start:start + (x1 - x0) * 4] = bytes(color) * (x1 - x0)

    def ring(self, cx: float, cy: float, outer: float, inner: float, color: Color) -> None:
        """Fill the pixels whose centre lies between two radii (inner 0: a disc)."""
        for y in range(int(cy - outer), int(cy + outer) + 1):
            for x in range(int(cx - outer), int(cx + outer) + 1):
                d2 = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2
                if inner * inner <= d2 <= outer * outer and 0 <= x < self.width and 0 <= y < self.height:
                    self.pixels[(y * self.width + x) * 4:(y * self.width + x + 1) * 4] = bytes(color)

    def png(self) -> bytes:
        """The canvas as PNG bytes."""
        return png_bytes(self.width, self.height, bytes(self.pixels))


def draw_logo(size: int) -> bytes:
    """A loop (ring) closing on a dot, white on a rounded brand-blue square."""
    canvas = Canvas(size, size, CLEAR)
    radius = size * 0.18
    canvas.rect(int(radius), 0, size - 2 * int(radius), size, BRAND)
    canvas.rect(0, int(radius), size, size - 2 * int(radius), BRAND)
    for cx in (radius, size - radius):
        for cy in (radius, size - radius):
            canvas.ring(cx, cy, radius, 0, BRAND)
    canvas.ring(size / 2, size / 2, size * 0.33, size * 0.22, WHITE)
    canvas.ring(size * 0.5, size * 0.17 + size * 0.055, size * 0.11, 0, BRAND)
    canvas.ring(size * 0.5, size * 0.225, size * 0.075, 0, WHITE)
    return canvas.png()


def draw_screenshot(width: int = 1024, height: int = 768) -> bytes:
    """A sketch of the ticket page with the sidebar: a timeline and the override form."""
    canvas = Canvas(width, height, (243, 244, 246, 255))
    canvas.rect(0, 0, width, 48, (3, 54, 61, 255))
    canvas.rect(24, 72, 640, 672, WHITE)
    for index, length in enumerate((520, 480, 560, 300, 500, 420, 360)):
        canvas.rect(56, 112 + index * 48, length, 14, (216, 220, 222, 255))
    canvas.rect(688, 72, 312, 672, WHITE)
    canvas.rect(712, 96, 160, 18, BRAND)
    colors = ((31, 115, 183, 255), (104, 115, 125, 255), (204, 51, 64, 255), (3, 129, 72, 255), (237, 161, 0, 255))
    for index, color in enumerate(colors):
        top = 140 + index * 64
        canvas.ring(724, top + 10, 8, 0, color)
        canvas.rect(744, top + 2, 220, 10, (216, 220, 222, 255))
        canvas.rect(744, top + 20, 150, 8, (233, 235, 237, 255))
    canvas.rect(712, 480, 264, 36, (233, 235, 237, 255))
    canvas.rect(712, 528, 264, 96, (233, 235, 237, 255))
    canvas.rect(712, 640, 264, 40, BRAND)
    return canvas.png()


def write_images(assets: Path) -> Sequence[Path]:
    """Write logo.png (128×128), logo-small.png (64×64) and screenshot-0.png (1024×768)."""
    assets.mkdir(parents=True, exist_ok=True)
    images = {"logo.png": draw_logo(128), "logo-small.png": draw_logo(64), "screenshot-0.png": draw_screenshot()}
    for name, data in images.items():
        (assets / name).write_bytes(data)
    return [assets / name for name in images]
