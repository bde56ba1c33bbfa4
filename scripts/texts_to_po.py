#!/usr/bin/env python3
"""Turn a capability's texts into gettext form, or refresh its catalogues.

    .venv/bin/python scripts/texts_to_po.py handlers/<capability> [more package dirs…]

A package whose texts.py still has the dict form, MESSAGES = {key: {"fr": …, "en": …}}, gets:
  - texts.py rewritten: MESSAGES = Texts(__file__, [pN_(key, English), …]) (comments inside the dict are kept;
    module-level helpers that only built the dict are dropped); a text with "(s)" and a {count} field becomes a
    plural, npN_(key, singular, plural) — check its translation's forms afterwards;
  - locale/messages.pot (the template) and locale/<lang>/LC_MESSAGES/messages.po for every other language of the
    dict (today: fr), translations filled in.
A package already converted gets its .pot written again from texts.py and each .po updated from it (like
`pybabel update`: new texts added untranslated, removed ones made obsolete, translations kept), so it is safe to run
again. Run it from the repository's root, with the project's virtualenv.
"""
from __future__ import annotations

import ast
import importlib
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from handlers.core.catalogue import DOMAIN, SOURCE_LANGUAGE, Text, Texts  # noqa: E402

WIDTH = 100


def module_name(package: Path) -> str:
    return ".".join(package.resolve().relative_to(ROOT).parts) + ".texts"


def literal(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def wrapped(s: str, indent: str) -> str:
    """A string literal, as adjacent literals of at most WIDTH characters cut after spaces."""
    if len(s) + len(indent) + 10 <= WIDTH:
        return literal(s)
    chunks, current = [], ""
    for word in re.split(r"(?<= )", s):
        if current and len(current) + len(word) > WIDTH - len(indent) - 4:
            chunks.append(current)
            current = ""
        current += word
    chunks.append(current)
    return ("\n" + indent).join(literal(c) for c in chunks)


def pluralise(text: str) -> tuple[str, str] | None:
    if "(s)" not in text:
        return None
    return text.replace("(s)", ""), text.replace("(s)", "s")


def names_in(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def defined_by(stmt: ast.stmt) -> set[str]:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {stmt.name}
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in stmt.names}
    if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return set()


def imported_elsewhere(module: str, name: str) -> bool:
    pattern = re.compile(rf"from\s+{re.escape(module)}\s+import\s+[^\n]*\b{re.escape(name)}\b")
    for path in list((ROOT / "handlers").rglob("*.py")) + list((ROOT / "bot").rglob("*.py")) + \
            list((ROOT / "tests").rglob("*.py")):
        if path.name == "texts.py" and ".".join(path.relative_to(ROOT).with_suffix("").parts) == module:
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            return True
    return False


def convert(package: Path) -> None:
    name = module_name(package)
    path = package / "texts.py"
    source = path.read_text(encoding="utf-8")
    module = importlib.import_module(name)
    messages = module.MESSAGES
    if isinstance(messages, Texts):
        print(f"{path}: already converted; catalogues refreshed")
        write_catalogues(package, messages, path, translations=None)
        return
    lines = source.splitlines()
    tree = ast.parse(source)
    stmt = next(s for s in tree.body if isinstance(s, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "MESSAGES" for t in s.targets))
    assert isinstance(stmt.value, ast.Dict), "MESSAGES must be a dict display"

    # Comments between the dict's entries, attached to the key that follows them.
    comments: dict[str, list[str]] = {}
    keys = list(messages)
    position, previous_end = 0, stmt.value.lineno
    for key_node, value_node in zip(stmt.value.keys, stmt.value.values):
        first = (key_node or value_node).lineno
        found = [lines[i].strip() for i in range(previous_end, first - 1) if lines[i].strip().startswith("#")]
        if key_node is None:  # **spread: as many keys as it brings
            count = len(eval(compile(ast.Expression(value_node), name, "eval"), vars(module)))
        else:
            count = 1
        if found and position < len(keys):
            comments.setdefault(keys[position], []).extend(found)
        position += count
        previous_end = value_node.end_lineno

    # Module-level helpers used only to build the dict go (unless another module imports them).
    used_by_messages = names_in(stmt.value)
    body = [s for s in tree.body if s is not stmt]
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring stays
    dropped: set[int] = set()
    changed = True
    while changed:
        changed = False
        for s in body:
            if id(s) in dropped:
                continue
            names = defined_by(s)
            if not names:
                continue
            used_elsewhere = set().union(*(names_in(o) for o in body if o is not s and id(o) not in dropped))
            if names & used_elsewhere or "MESSAGES" in names:
                continue
            reachable = used_by_messages | set().union(*(names_in(o) for o in body if id(o) in dropped))
            if names <= reachable and not any(imported_elsewhere(name, n) for n in names):
                dropped.add(id(s))
                changed = True
    drop_lines = set()
    for s in body:
        if id(s) in dropped:
            start = s.lineno - 1
            while start > 0 and lines[start - 1].lstrip().startswith("#"):
                start -= 1
            drop_lines.update(range(start, s.end_lineno))

    texts: list[Text] = []
    translations: dict[str, dict[str, str | tuple[str, str]]] = {}
    generated = ["MESSAGES = Texts(__file__, ["]
    for key, by_lang in messages.items():
        en = by_lang.get(SOURCE_LANGUAGE)
        if en is None:
            raise SystemExit(f"{path}: {key} has no English text, the source language")
        forms = pluralise(en) if "{count}" in en else None
        others = {lang: t for lang, t in by_lang.items() if lang != SOURCE_LANGUAGE}
        if forms is None and "{count}" in en and any("(s)" in t for t in others.values()):
            forms = (en, en)
        if not forms and any("(s)" in t for t in by_lang.values()):
            print(f"  warning: {key} has \"(s)\" but no {{count}} field: left as it is, make it a plural by hand")
        for comment in comments.get(key, []):
            generated.append("    " + comment)
        indent = " " * 8
        if forms:
            text = Text(key, forms[0], forms[1])
            generated.append(f"    npN_({literal(key)},\n{indent}{wrapped(forms[0], indent)},"
                             f"\n{indent}{wrapped(forms[1], indent)}),")
            for lang, t in others.items():
                translations.setdefault(lang, {})[key] = pluralise(t) or (t, t)
        else:
            text = Text(key, en)
            one_line = f"    pN_({literal(key)}, {literal(en)}),"
            if len(one_line) <= WIDTH + 20:
                generated.append(one_line)
            else:
                generated.append(f"    pN_({literal(key)},\n{indent}{wrapped(en, indent)}),")
            for lang, t in others.items():
                translations.setdefault(lang, {})[key] = t
        texts.append(text)
    generated.append("])")

    out: list[str] = []
    for i, line in enumerate(lines):
        if i in drop_lines:
            continue
        if i == stmt.lineno - 1:
            out.extend(generated)
            continue
        if stmt.lineno - 1 < i < stmt.end_lineno:
            continue
        out.append(line)
    # The import, after the docstring and any __future__ import.
    text_out = "\n".join(out) + "\n"
    new_tree = ast.parse(text_out)
    insert_at = 0
    for s in new_tree.body:
        if (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)) or \
                (isinstance(s, ast.ImportFrom) and s.module == "__future__"):
            insert_at = s.end_lineno
        else:
            break
    out_lines = text_out.splitlines()
    wanted = ["Texts"] + (["npN_"] if any(t.plural for t in texts) else []) + ["pN_"]
    existing = next((i for i, line in enumerate(out_lines)
                     if line.startswith("from handlers.core.catalogue import ")), None)
    if existing is not None:
        have = [n.strip() for n in out_lines[existing].split(" import ", 1)[1].split(",")]
        names = sorted(dict.fromkeys(have + wanted))
        out_lines[existing] = "from handlers.core.catalogue import " + ", ".join(names)
    else:
        line = "from handlers.core.catalogue import " + ", ".join(sorted(wanted))
        out_lines[insert_at:insert_at] = (["", line] if insert_at else [line])
    text_out = re.sub(r"\n{3,}", "\n\n\n", "\n".join(out_lines) + "\n")
    text_out = re.sub(r"(\n\n)\n+(?=MESSAGES)", r"\1", text_out)
    path.write_text(text_out, encoding="utf-8")
    print(f"{path}: converted, {len(texts)} texts ({sum(1 for t in texts if t.plural)} plurals)")
    write_catalogues(package, Texts(path, texts), path, translations)


def source_lines(path: Path) -> dict[str, int]:
    """The line of each key's pN_/npN_ call in texts.py (for the catalogues' #: references)."""
    found = {}
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = re.match(r'\s*n?pN_\("([^"]+)"', line)
        if m:
            found[m.group(1)] = i
    return found


def template_catalog(texts: Texts, path: Path) -> Catalog:
    where = source_lines(path)
    location = path.resolve().relative_to(ROOT).as_posix()
    catalog = Catalog(project="Relais", version="0.1", copyright_holder="Relais contributors",
                      msgid_bugs_address="", creation_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
                      charset="utf-8", fuzzy=False)
    for text in texts.values():
        msgid = text.en if text.plural is None else (text.en, text.plural)
        catalog.add(msgid, context=text.key, locations=[(location, where.get(text.key, 0))],
                    flags=("python-brace-format",))
    return catalog


def write_catalogues(package: Path, texts: Texts, path: Path,
                     translations: dict[str, dict[str, str | tuple[str, str]]] | None) -> None:
    locale = package / "locale"
    locale.mkdir(exist_ok=True)
    template = template_catalog(texts, path)
    with (locale / f"{DOMAIN}.pot").open("wb") as f:
        write_po(f, template, width=76, omit_header=False, sort_output=False)
    langs = set(translations or {}) | {p.parent.parent.name for p in locale.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    for lang in sorted(langs):
        po = locale / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        po.parent.mkdir(parents=True, exist_ok=True)
        if po.exists():
            with po.open("rb") as f:
                catalog = read_po(f, locale=lang, domain=DOMAIN)
        else:
            catalog = Catalog(locale=lang, domain=DOMAIN, project="Relais", version="0.1",
                              copyright_holder="Relais contributors", msgid_bugs_address="",
                              creation_date=template.creation_date, fuzzy=False)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        for key, value in (translations or {}).get(lang, {}).items():
            text = texts[key]
            msgid = text.en if text.plural is None else (text.en, text.plural)
            message = catalog.get(msgid, context=key)
            if text.plural is None:
                message.string = value if isinstance(value, str) else value[0]
            else:
                forms = value if isinstance(value, tuple) else (value, value)
                message.string = tuple(forms[min(i, 1)] for i in range(catalog.num_plurals))
        catalog.obsolete.clear()  # a text removed from texts.py goes from its translations too
        with po.open("wb") as f:
            write_po(f, catalog, width=76, omit_header=False, sort_output=False, include_previous=False)
        print(f"  {po}")
    print(f"  {locale / (DOMAIN + '.pot')}")


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit(__doc__)
    for arg in argv:
        convert(Path(arg))


if __name__ == "__main__":
    main(sys.argv[1:])
