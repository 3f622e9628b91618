"""The fonts the PDF needs: a Latin font and a CJK fallback so Chinese renders.

They come from Debian packages installed by `scripts/fonts.sh` (run by `make test`/`make run` and CI):
fonts-dejavu-core and fonts-droid-fallback. `VOC_PDF_FONT` / `VOC_CJK_FONT` point elsewhere.
"""
from __future__ import annotations

import os
from pathlib import Path

LATIN = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",)
CJK = ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",)


class FontMissing(RuntimeError):
    def __init__(self, what: str, tried: list[str]):
        super().__init__(f"no {what} font found (tried {', '.join(tried)}); run `bash scripts/fonts.sh` "
                         f"or set VOC_PDF_FONT / VOC_CJK_FONT to a .ttf file")


def _first(chosen: str | None, candidates: tuple[str, ...], what: str) -> Path:
    tried = [chosen] if chosen else []
    tried += list(candidates)
    for path in tried:
        if Path(path).is_file():
            return Path(path)
    raise FontMissing(what, tried)


def latin_font() -> Path:
    return _first(os.environ.get("VOC_PDF_FONT"), LATIN, "Latin")


def cjk_font() -> Path:
    return _first(os.environ.get("VOC_CJK_FONT"), CJK, "CJK")
