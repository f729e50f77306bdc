"""Data Docs that render offline: the CSS, JS and fonts Great Expectations loads from CDNs are
copied into the site (``static/vendor/``) and every page points at the copies.

Provincial networks are often offline, and a GX page without its CDNs is unstyled with an empty
index (the run list is a bootstrap-table filled by jQuery). The files come from the npm packages
GX asks for, at the versions it asks for, listed with the URL -> file map in one place,
``expectations/data_docs_assets/package.json`` (installed by ``make install``: ``npm ci``); nothing is
downloaded at run time. Without the packages installed, pages keep their CDN links (and a warning
is logged): Data Docs are a convenience, never a reason to fail a batch.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from functools import cache
from pathlib import Path

from transforms.config import EXPECTATIONS_DIR
from transforms.files import write_text_atomically

ASSETS_DIR = EXPECTATIONS_DIR / "data_docs_assets"
VENDOR = Path("static") / "vendor"
# GX's logo comes from an S3 bucket (with a cache-busting query); the site has its own copy.
_LOGO = re.compile(
    r"https://great-expectations-web-assets\.s3[^\"']*?/(?:logo-long|full_logo_dark)\.png[^\"']*"
)
# GX links the favicon one level too high from validation pages: put it where the site has it.
_FAVICON = re.compile(r"(?:\.\./|\./)*static/images/favicon\.ico")
log = logging.getLogger(__name__)


@cache
def _manifest() -> tuple[dict[str, str], tuple[str, ...]]:
    spec = json.loads((ASSETS_DIR / "package.json").read_text(encoding="utf-8"))
    return spec["danvan_cdn"], tuple(spec.get("danvan_copy_dirs", ()))


def installed(modules: Path = ASSETS_DIR / "node_modules") -> bool:
    cdn, _ = _manifest()
    return all((modules / rel).is_file() for rel in cdn.values())


def vendor_into(site_root: Path, modules: Path = ASSETS_DIR / "node_modules") -> bool:
    """Copy the assets into ``site_root/static/vendor`` (once; files already there are kept).
    False when the packages are not installed."""
    if not installed(modules):
        log.warning("Data Docs assets not installed (%s): pages keep their CDN links", modules)
        return False
    cdn, dirs = _manifest()
    target = site_root / VENDOR
    for rel in cdn.values():
        dest = target / rel
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(modules / rel, dest)
    for rel in dirs:
        if not (target / rel).exists():
            shutil.copytree(modules / rel, target / rel)
    return True


def localise(page: Path, site_root: Path) -> None:
    """Point one HTML page's CDN links at the site's copies (relative links: the site can be moved
    or served from anywhere)."""
    cdn, _ = _manifest()
    text = page.read_text(encoding="utf-8")
    up = os.path.relpath(site_root, page.parent)
    for url, rel in cdn.items():
        text = text.replace(url, f"{up}/{VENDOR.as_posix()}/{rel}")
    text = _LOGO.sub(f"{up}/static/images/logo-long.png", text)
    text = _FAVICON.sub(f"{up}/static/images/favicon.ico", text)
    write_text_atomically(page, text)
