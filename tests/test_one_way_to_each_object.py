"""One way to reach each object: no page or endpoint looks one up by itself.

Every kind a person may or may not see (post, comment, question, answer,
community, blog entry, wiki page and revision, bookmark, person, notification)
is reached through its services-level access function (`visible_post`,
`visible_person`, …), which raises `permissions.NotFound` when the acting
person may not see it. A view or API module that reads one of these models'
managers, or calls `get_object_or_404`/`get_list_or_404` on one, decides
visibility by itself, and the next copy of the rule drifts from the first.

The modules are read, not imported (AST): each one is a test case, and a
failure names the module and the line.
"""

import ast
from pathlib import Path

import pytest
from django.utils.module_loading import import_string

SOURCE = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SOURCE / "kollega"

# The models of the kinds that have an access function.
GUARDED = {
    "kollega.posts.models.Post",
    "kollega.posts.models.Comment",
    "kollega.qa.models.Question",
    "kollega.qa.models.Answer",
    "kollega.communities.models.Community",
    "kollega.content.blogs.models.BlogEntry",
    "kollega.content.wikis.models.Page",
    "kollega.content.wikis.models.Revision",
    "kollega.content.bookmarks.models.Bookmark",
    "kollega.people.models.Person",
    "kollega.notifications.models.Notification",
}
SHORTCUTS = {"django.shortcuts.get_object_or_404", "django.shortcuts.get_list_or_404"}


# Modules that answer routes without being called views or api.
ALSO_ROUTED = ["content/blogs/feeds.py"]


def _modules() -> list[Path]:
    found = set(PACKAGE.rglob("views.py")) | set(PACKAGE.rglob("api.py"))
    found |= set(PACKAGE.rglob("views/*.py"))
    found |= {PACKAGE / name for name in ALSO_ROUTED}
    return sorted(p for p in found if "tests" not in p.relative_to(PACKAGE).parts)


def _dotted(path: Path) -> str:
    return ".".join(path.relative_to(SOURCE).with_suffix("").parts)


def _params():
    for path in _modules():
        yield pytest.param(path, id=_dotted(path))


def _imports(tree: ast.Module, module: str) -> dict[str, str]:
    """Local name -> what it stands for, e.g. `Post` -> `kollega.posts.models.Post`."""
    package = module.rsplit(".", 1)[0]
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                names[alias.asname or alias.name] = f"{base}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
    return names


def _qualified(node: ast.expr, names: dict[str, str]) -> str | None:
    """`models.Post` or `Post` as the full name it was imported under."""
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _qualified(node.value, names)
        return f"{base}.{node.attr}" if base else None
    return None


def _guarded_in(node: ast.AST, names: dict[str, str]) -> str | None:
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name | ast.Attribute) and _qualified(inner, names) in GUARDED:
            return _qualified(inner, names)
    return None


def direct_lookups(path: Path) -> list[str]:
    """Where the module reaches a guarded model without its access function."""
    module = _dotted(path)
    tree = ast.parse(path.read_text(), filename=str(path))
    names = _imports(tree, module)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager"):
            model = _qualified(node.value, names)
            if model in GUARDED:
                found.append(f"{module}:{node.lineno} {model.rsplit('.', 1)[1]}.{node.attr}")
        elif isinstance(node, ast.Call) and _qualified(node.func, names) in SHORTCUTS:
            model = _guarded_in(node.args[0], names) if node.args else None
            if model:
                shortcut = _qualified(node.func, names).rsplit(".", 1)[1]
                found.append(f"{module}:{node.lineno} {shortcut}({model.rsplit('.', 1)[1]} …)")
    return sorted(found, key=lambda line: (int(line.split(":")[1].split()[0]), line))


@pytest.mark.parametrize("path", list(_params()))
def test_views_and_endpoints_reach_objects_only_through_access_functions(path):
    found = direct_lookups(path)
    assert not found, (
        "A view or endpoint looks up an object itself instead of calling the kind's "
        "services-level access function (visible_<kind>, raising NotFound):\n  "
        + "\n  ".join(found)
    )


def _routed_modules() -> set[str]:
    """The module of every page (but the Django admin's) and every API operation."""
    from django.urls import URLResolver, get_resolver

    from kollega.api.urls import api

    found = set()

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not route.startswith("admin/"):
                    walk(pattern.url_patterns, route)
            else:
                view = getattr(pattern.callback, "view_class", pattern.callback)
                found.add(view.__module__)

    walk(get_resolver().url_patterns)
    for _prefix, router in api._routers:
        for operations in router.path_operations.values():
            found |= {operation.view_func.__module__ for operation in operations.operations}
    return {name for name in found if name.startswith("kollega.")}


def test_every_page_and_endpoint_is_in_a_module_the_guard_reads():
    """A view module under another name would escape the guard: it must be listed."""
    read = {_dotted(path) for path in _modules()}
    routed = _routed_modules()
    assert "kollega.posts.api" in routed and "kollega.posts.views" in routed
    assert routed <= read, f"add to ALSO_ROUTED: {sorted(routed - read)}"


def test_the_guarded_models_exist():
    """A renamed model would otherwise drop out of the guard without a sound."""
    for name in GUARDED:
        assert import_string(name)


def test_the_guard_sees_every_way_of_reaching_a_model(tmp_path):
    """The guard itself: a manager, a module-qualified manager and the shortcuts are found."""
    package = tmp_path / "kollega" / "things"
    package.mkdir(parents=True)
    module = package / "views.py"
    module.write_text(
        "from django.shortcuts import get_object_or_404 as fetch\n"
        "from kollega.posts import models\n"
        "from kollega.people.models import Person as P\n"
        "from kollega.tags.models import Tag\n"
        "a = models.Post.objects.get(pk=1)\n"
        "b = P.objects.first()\n"
        "c = fetch(models.Comment.objects.select_related('post'), pk=1)\n"
        "d = Tag.objects.first()\n"
    )
    global SOURCE
    saved, SOURCE = SOURCE, tmp_path
    try:
        found = direct_lookups(module)
    finally:
        SOURCE = saved
    assert found == [
        "kollega.things.views:5 Post.objects",
        "kollega.things.views:6 Person.objects",
        "kollega.things.views:7 Comment.objects",
        "kollega.things.views:7 get_object_or_404(Comment …)",
    ]
