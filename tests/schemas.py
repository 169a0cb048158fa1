"""Where the tests (and benchmarks/interop_exports.py) find the public TMX 1.4 DTD and XLIFF 1.2 schema.

None of these files is in this repository. They are looked for, in order:

1. ``$WORKBENCH_SCHEMAS/`` holding ``tmx14.dtd``, ``xliff-core-1.2-strict.xsd`` and ``xml.xsd``;
2. ``../shared/schemas/`` (same file names);
3. the Debian packages that ship them (``.ci/run`` installs both):
   ``omegat`` (``/usr/share/omegat/OmegaT.jar``, member ``schemas/tmx14.dtd``: the LISA OSCAR
   TMX 1.4 DTD) and ``php-symfony-translation`` (``/usr/share/php/Symfony/Component/Translation/
   Resources/schemas/``: the OASIS ``xliff-core-1.2-strict.xsd`` and the W3C ``xml.xsd``).

The XLIFF schema's import of ``http://www.w3.org/2001/xml.xsd`` is pointed at the local
``xml.xsd`` when it is parsed, so validation needs no network. A test whose schema is missing
is skipped with the reason from :func:`missing`.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
SYMFONY = Path("/usr/share/php/Symfony/Component/Translation/Resources/schemas")
_DIRS = [d for d in (os.environ.get("WORKBENCH_SCHEMAS"), str(ROOT.parent / "shared" / "schemas")) if d]
HOW = "set $WORKBENCH_SCHEMAS to a folder with it, or apt-get install omegat php-symfony-translation"


def _in_dirs(name: str) -> Path | None:
    return next((Path(d) / name for d in _DIRS if (Path(d) / name).is_file()), None)


def tmx_dtd_bytes() -> bytes | None:
    """The TMX 1.4 DTD, or None when it is nowhere to be found."""
    p = _in_dirs("tmx14.dtd")
    if p:
        return p.read_bytes()
    if OMEGAT_JAR.is_file():
        with zipfile.ZipFile(OMEGAT_JAR) as z:
            if "schemas/tmx14.dtd" in z.namelist():
                return z.read("schemas/tmx14.dtd")
    return None


def xliff_xsd_path() -> Path | None:
    """The folder-local path of ``xliff-core-1.2-strict.xsd`` (with ``xml.xsd`` beside it), or None."""
    for d in [Path(x) for x in _DIRS] + [SYMFONY]:
        if (d / "xliff-core-1.2-strict.xsd").is_file() and (d / "xml.xsd").is_file():
            return d / "xliff-core-1.2-strict.xsd"
    return None


def tbx_dir() -> Path:
    """The folder holding the TBX schemas (``$WORKBENCH_TBX_SCHEMAS``, else ``$WORKBENCH_SCHEMAS``,
    ``../shared/tbx-schemas``, ``../shared/schemas``): no Debian package ships them."""
    candidates = [os.environ.get("WORKBENCH_TBX_SCHEMAS"), *_DIRS, str(ROOT.parent / "shared" / "tbx-schemas")]
    return next((Path(d) for d in candidates if d and Path(d).is_dir()), Path("/nonexistent"))


def missing() -> list[str]:
    """Names of the schema files not found (empty when all are there)."""
    out = [] if tmx_dtd_bytes() else ["tmx14.dtd"]
    return out + ([] if xliff_xsd_path() else ["xliff-core-1.2-strict.xsd + xml.xsd"])


def tmx_dtd() -> etree.DTD | None:
    data = tmx_dtd_bytes()
    return etree.DTD(io.BytesIO(data)) if data else None


def xliff_schema() -> etree.XMLSchema | None:
    p = xliff_xsd_path()
    if p is None:
        return None
    text = p.read_bytes().replace(b'schemaLocation="http://www.w3.org/2001/xml.xsd"', b'schemaLocation="xml.xsd"')
    return etree.XMLSchema(etree.fromstring(text, base_url=p.as_uri()))
