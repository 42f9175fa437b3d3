"""Every WeasyPrint extension: installed only on the WeasyPrint it was written for, idempotent,
and reversible."""

from __future__ import annotations

import logging
from types import ModuleType

import pytest
import weasyprint

from publish.pdf.weasy import registry
from publish.pdf.weasy.registry import EXTENSIONS


@pytest.fixture(params=EXTENSIONS, ids=lambda module: module.__name__.rsplit(".", 1)[-1])
def extension(request: pytest.FixtureRequest):
    """An extension, uninstalled; as it was found afterwards."""
    module: ModuleType = request.param
    was_installed = bool(module.EXTENSION.originals)
    module.uninstall()
    yield module
    module.uninstall()
    if was_installed:
        module.install()


def current(module: ModuleType) -> list[object]:
    return [getattr(owner, name) for owner, name, _ in module.EXTENSION.replacements]


def ours(module: ModuleType) -> list[object]:
    return [replacement for _, _, replacement in module.EXTENSION.replacements]


def test_another_weasyprint_is_left_alone_with_a_warning(
    extension: ModuleType, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    originals = current(extension)
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with caplog.at_level(logging.WARNING, logger=extension.EXTENSION.logger):
        assert extension.install() is False
    assert "not 70.x" in caplog.text and extension.EXTENSION.without in caplog.text
    assert current(extension) == originals
    monkeypatch.undo()
    assert extension.install()


def test_install_is_idempotent_and_reversible(extension: ModuleType) -> None:
    originals = current(extension)
    assert not set(map(id, originals)) & set(map(id, ours(extension)))
    assert extension.install() and extension.install()
    assert current(extension) == ours(extension)
    extension.uninstall()
    assert current(extension) == originals


def test_the_registry_lists_every_extension_module_and_rendering_installs_its_layout_ones() -> None:
    from pathlib import Path

    from publish.pdf.render import prepare_layout

    folder = Path(registry.__file__).parent
    patching = {p.stem for p in folder.glob("*.py") if "EXTENSION = Extension(" in p.read_text()}
    assert patching == {module.__name__.rsplit(".", 1)[-1] for module in EXTENSIONS}
    for module in registry.LAYOUT:
        module.uninstall()
    prepare_layout()
    assert all(module.EXTENSION.originals for module in registry.LAYOUT)
