"""Wiki pages: thin wrappers around wikis.services.

Every view takes an optional `community` (slug): without it, the organisation's
wiki. A wiki or page one may not read answers 404, like one that does not exist.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollega.audit.services import record_opened
from kollega.content.wikis import diffs, services
from kollega.content.wikis.attachments import attach_image
from kollega.content.wikis.forms import AttachmentForm, PageForm
from kollega.permissions.wikis import can_edit_wiki
from kollega.web.files import stored_file_response
from kollega.web.helpers import current_person, report_error
from kollega.web.once import submitted_once


def _wiki(request, community: str | None):
    """The signed-in person and the wiki they asked for; 404 if they may not read it."""
    person = current_person(request)
    return person, services.visible_wiki(person, community)


def _page(request, community: str | None, slug: str):
    person, wiki = _wiki(request, community)
    return person, wiki, services.visible_page(person, wiki.community, slug)


def _context(person, wiki, **more) -> dict:
    return {"wiki": wiki, "can_edit": can_edit_wiki(person, wiki.community), **more}


def home(request, community=None):
    """A wiki's pages as a tree, and its recent changes."""
    person, wiki = _wiki(request, community)
    context = _context(
        person,
        wiki,
        tree=services.page_tree(wiki.community, person),
        recent=services.recent_changes(wiki.community, viewer=person),
    )
    return render(request, "wikis/home.html", context)


def page_view(request, slug, community=None):
    """One page: its text with [[links]], its subpages and attachments."""
    person, wiki, page = _page(request, community, slug)
    record_opened(person, page, request)
    context = _context(
        person,
        wiki,
        page=page,
        body_html=services.render_body(person, wiki.community, page.body, page=page),
        ancestors=services.ancestors(page),
        children=page.children.visible_to(person).order_by("title"),
        attachments=page.attachments.all(),
        watching=services.is_watching(person, page),
        attachment_form=AttachmentForm(),
    )
    return render(request, "wikis/page.html", context)


@submitted_once
def new_page(request, community=None):
    """Write a new page; a missing [[link]] leads here with the title filled in."""
    person = current_person(request)
    wiki = services.editable_wiki(person, community)
    parents = services.page_tree(wiki.community, person)
    initial = {"title": request.GET.get("title", ""), "parent": request.GET.get("parent")}
    form = PageForm(request.POST or None, initial=initial, parents=parents)
    if request.method == "POST" and form.is_valid():
        parent = services.page_in_wiki(wiki.community, form.cleaned_data["parent"])
        try:
            page = services.create_page(
                person,
                wiki.community,
                form.cleaned_data["title"],
                form.cleaned_data["body"],
                parent=parent,
                summary=form.cleaned_data["summary"],
                guard_override=form.cleaned_data["guard_override"],
                classification=form.cleaned_data["classification"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The page is created."))
            return redirect(page.get_absolute_url())
    status = 400 if form.errors else 200
    context = _context(person, wiki, form=form, creating=True)
    return render(request, "wikis/edit.html", context, status=status)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@submitted_once
def edit(request, slug, community=None):
    """Edit a page. The form carries the revision it started from; if someone saved
    since, nothing is saved and both versions are shown, with my text kept."""
    person, wiki = _wiki(request, community)
    page = services.editable_page(person, wiki.community, slug)
    parents = [(p, d) for p, d in services.page_tree(wiki.community, person) if p.pk != page.pk]
    initial = {
        "title": page.title,
        "body": page.body,
        "parent": page.parent_id,
        "base_revision": page.current_revision.number,
        "classification": page.classification,
    }
    form = PageForm(request.POST or None, initial=initial, parents=parents)
    context = _context(person, wiki, page=page, form=form)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = request.POST.get("action", "save")
        base = request.POST.get("theirs_revision") if action == "overwrite" else None
        base = int(base) if base and base.isdigit() else data["base_revision"]
        if action == "merge":
            return _merged(request, page, form, parents, context)
        try:
            services.edit_page(
                person,
                page,
                base_revision=base,
                title=data["title"],
                body=data["body"],
                parent=services.page_in_wiki(wiki.community, data["parent"]),
                summary=data["summary"],
                guard_override=data["guard_override"],
                classification=data["classification"],
            )
        except services.EditConflict as conflict:
            context["conflict"] = conflict
            status = 409
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(page.get_absolute_url())
    if form.errors:
        status = 400
    return render(request, "wikis/edit.html", context, status=status)


def _merged(request, page, form, parents, context):
    """My text merged with the page's newest revision, back in the editor (not saved)."""
    data = form.cleaned_data
    base = services.revision_of(page, data["base_revision"] or 0)
    theirs = page.current_revision
    label = _("revision %(number)s") % {"number": theirs.number}
    merge = diffs.merge_texts(base.body if base else "", data["body"], theirs.body, label)
    merged = PageForm(
        initial={
            "title": data["title"],
            "body": merge.text,
            "parent": data["parent"],
            "summary": data["summary"],
            "base_revision": theirs.number,
        },
        parents=parents,
    )
    if merge.conflicts:
        messages.warning(
            request,
            _(
                "Merged with revision %(number)s. Where you both changed the same lines, "
                "both versions are kept between <<<<<<< and >>>>>>>: choose, then save."
            )
            % {"number": theirs.number},
        )
    else:
        messages.info(
            request,
            _("Merged with revision %(number)s without conflicts. Check the text, then save.")
            % {"number": theirs.number},
        )
    context.update(form=merged, merged=merge)
    return render(request, "wikis/edit.html", context)


def history(request, slug, community=None):
    """Every revision of a page, newest first, to compare or restore."""
    person, wiki, page = _page(request, community, slug)
    revisions = list(services.history_of(page))
    context = _context(person, wiki, page=page, revisions=revisions)
    return render(request, "wikis/history.html", context)


def revision_view(request, slug, number, community=None):
    """One old revision as it read then."""
    person, wiki, page = _page(request, community, slug)
    revision = services.visible_revision(person, page, number)
    context = _context(
        person,
        wiki,
        page=page,
        revision=revision,
        body_html=services.render_body(person, wiki.community, revision.body, page=page),
    )
    return render(request, "wikis/revision.html", context)


def diff(request, slug, community=None):
    """The differences between two revisions (?from=N&to=M, in either order)."""
    person, wiki, page = _page(request, community, slug)
    try:
        numbers = sorted(int(request.GET[key]) for key in ("from", "to"))
        comparison = services.compare(page, numbers[0], numbers[1])
    except (KeyError, ValueError):
        messages.error(request, _("Choose two revisions of this page to compare."))
        return redirect(page.history_url)
    except ValidationError as error:
        report_error(request, error)
        return redirect(page.history_url)
    context = _context(person, wiki, page=page, **comparison)
    return render(request, "wikis/diff.html", context)


@require_POST
def restore(request, slug, number, community=None):
    """Make an old revision the newest one again."""
    person, wiki, page = _page(request, community, slug)
    revision = services.visible_revision(person, page, number)
    try:
        new = services.restore_revision(person, revision)
    except ValidationError as error:
        report_error(request, error)
        return redirect(page.history_url)
    messages.success(
        request,
        _("Revision %(old)s is restored as revision %(new)s.")
        % {"old": revision.number, "new": new.number},
    )
    return redirect(page.history_url)


@require_POST
def watch(request, slug, community=None):
    """Start or stop watching a page."""
    person, wiki, page = _page(request, community, slug)
    if request.POST.get("action") == "unwatch":
        services.unwatch_page(person, page)
        messages.success(request, _("You no longer watch this page."))
    else:
        services.watch_page(person, page)
        messages.success(request, _("You watch this page: you will hear when it changes."))
    return redirect(page.get_absolute_url())


@require_POST
def attach(request, slug, community=None):
    """Attach an image to a page."""
    person, wiki, page = _page(request, community, slug)
    try:
        attachment = attach_image(person, page, request.FILES.get("image"))
    except ValidationError as error:
        report_error(request, error)
    else:
        messages.success(request, _("%(name)s is attached.") % {"name": attachment.name})
    return redirect(page.get_absolute_url() + "#attachments")


def attachment(request, slug, attachment_id, filename, community=None):
    """An attached image, for those who may read the page."""
    person, _wiki_, page = _page(request, community, slug)
    found = services.visible_attachment(person, page, attachment_id)
    return stored_file_response(found.image, found.content_type)
