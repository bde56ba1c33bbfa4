"""The layout holds: bot → handlers → storage with no arrow back up; core and dates use no capability; a capability
uses another only through what its package exports; every catalogue text is used."""
import ast
import pathlib
import re

import pytest

from handlers.capabilities import CAPABILITIES, registry

ROOT = pathlib.Path(__file__).resolve().parents[2]
CAPABILITY_PACKAGES = ("actions", "general", "meetings", "pages", "schedule", "settings")


def imports(folder: str) -> list[tuple[pathlib.Path, str, list[str]]]:
    """(file, module imported, names imported from it) for every import under `folder`."""
    found = []
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.append((path, node.module, [a.name for a in node.names]))
            elif isinstance(node, ast.Import):
                found.extend((path, a.name, []) for a in node.names)
    return found


# What each layer may not import: the layers above it (core and dates sit below the capabilities, and below the
# list of them, which the bot and the command line read).
ABOVE = {
    "storage": ("handlers", "bot"),
    "handlers": ("bot",),
    "handlers/core": ("handlers.capabilities", "handlers.i18n", *(f"handlers.{p}" for p in CAPABILITY_PACKAGES)),
    "handlers/dates": ("handlers.capabilities", "handlers.i18n", *(f"handlers.{p}" for p in CAPABILITY_PACKAGES)),
}


@pytest.mark.parametrize("folder", ABOVE)
def test_no_arrow_back_up(folder):
    above = ABOVE[folder]
    wrong = [(str(p.relative_to(ROOT)), m) for p, m, _ in imports(folder)
             if m in above or m.startswith(tuple(a + "." for a in above))]
    assert wrong == []


def test_a_capability_uses_another_only_through_its_public_names():
    import importlib

    for package in CAPABILITY_PACKAGES:
        for path, module, names in imports(f"handlers/{package}"):
            other = module.split(".")[1] if module.startswith("handlers.") else None
            if other in CAPABILITY_PACKAGES and other != package:
                assert module == f"handlers.{other}", f"{path.name} imports {module}, a module of {other}"
                public = importlib.import_module(module).__all__
                assert set(names) <= set(public), f"{path.name} imports {names} from {module}"


def test_one_declaration_per_capability_and_no_registration_on_import():
    assert [c.name for c in CAPABILITIES] == ["core", "settings", "meetings", "schedule", "actions", "mobilisations", "digest", "pages", "general"]
    code = "\n".join(p.read_text() for p in (ROOT / "handlers").rglob("*.py"))
    assert not re.search(r"@\w+\.(kind|on_start|observer)\b|registry\.command\(|^SECTION = ", code, re.M)


def test_every_catalogue_text_is_used():
    """A key is used when the code names it, or when a declaration does: a command's summary and details, a form's
    `!aide` line, an argument's label, a section's title, a setting's texts; or through an f-string prefix."""
    code = "\n".join(p.read_text() for d in ("handlers", "bot") for p in (ROOT / d).rglob("*.py")
                     if p.name != "texts.py")
    used = set(re.findall(r'"([^"\s]+)"', code))
    for cmd in registry.commands:
        used |= {f"{cmd.key}.summary", f"{cmd.key}.details"}
        for form in (cmd.root, *cmd.subs):
            used.add(f"{cmd.key}.sub.{form.key}")
            used |= {key for arg in form.args for key in (arg.label, arg.overview) if key}
            used |= {arg.then.label for arg in form.args if getattr(arg, "then", None)}
    used |= {f"help.section.{c.section}" for c in CAPABILITIES}
    used |= {f"settings.{kind}.{s.key}" for s in registry.settings for kind in ("name", "sub", "show")}
    prefixes = tuple(re.findall(r'f"([a-z_.]+\.)\{', code)) + ("minutes.title",)  # key += "_draft"
    unused = [key for key in registry.texts if key not in used and not key.startswith(prefixes)]
    assert unused == []
