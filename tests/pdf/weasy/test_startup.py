"""WeasyPrint imported without the library search, and the ordinary way where that fails."""

from __future__ import annotations

import subprocess
import sys

FAST = """
import ctypes.util
asked = []
search = ctypes.util.find_library
ctypes.util.find_library = lambda name: asked.append(name) or search(name)
from publish.pdf.weasy.startup import weasyprint
from weasyprint.text.ffi import harfbuzz_subset, pango
assert ctypes.util.find_library is not search and asked == [], asked  # put back, never asked
assert pango and harfbuzz_subset
print(len(weasyprint.HTML(string="<p>第一页</p>").render().pages))
"""

FALLBACK = """
import sys

class FailOnce:
    # the first import of WeasyPrint's library bindings fails, as on a system without sonames
    failed = False

    def find_spec(self, name, path, target=None):
        if name == "weasyprint.text.ffi" and not FailOnce.failed:
            FailOnce.failed = True
            raise OSError("cannot load library 'libpango-1.0.so.0'")
        return None

sys.meta_path.insert(0, FailOnce())
from publish.pdf.weasy.startup import weasyprint
assert FailOnce.failed
print(len(weasyprint.HTML(string="<p>第一页</p>").render().pages))
"""


def run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_weasyprint_opens_its_libraries_without_searching_for_them() -> None:
    done = run(FAST)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"


def test_a_failed_fast_import_falls_back_to_the_ordinary_one() -> None:
    done = run(FALLBACK)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("1")
