"""Pages and actions for questions: thin wrappers around qa.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollega.audit.services import record_opened
from kollega.communities.services import my_communities, readable_community
from kollega.people.models import Person
from kollega.people.services import person_by_handle
from kollega.permissions.communities import can_post_in
from kollega.qa import charts, services
from kollega.qa.forms import AnswerForm, QuestionForm, ReferForm
from kollega.web.helpers import current_person, report_error
from kollega.web.once import submitted_once


def _person_and_question(request, question_id: int):
    """The signed-in person and the question they asked for; 404 if they may not see it."""
    person = current_person(request)
    return person, services.visible_question(person, question_id)


def questions(request):
    """My questions inbox, my own questions and the newest questions I may see."""
    person = current_person(request)
    context = {
        "inbox": services.question_inbox(person)[:30],
        "mine": services.visible_questions(person, asked_by=person)[:10],
        "recent": services.visible_questions(person)[:20],
    }
    return render(request, "qa/questions.html", context)


@submitted_once
def ask(request):
    """The question form; asking leads to the question page, where it is sent on."""
    person = current_person(request)
    form = QuestionForm(
        request.POST or None,
        initial={"board": request.GET.get("board", ""), **_community_initial(request)},
        communities=my_communities(person),
    )
    if request.method == "POST" and form.is_valid():
        try:
            community = services.community_to_ask_in(person, form.cleaned_data["community"])
            question = services.ask_question(
                person,
                form.cleaned_data["title"],
                form.cleaned_data["body"],
                tags=form.tag_names(),
                audience=form.cleaned_data["audience"],
                board_owner=form.cleaned_data["board"] or person,
                guard_override=form.cleaned_data["guard_override"],
                classification=form.cleaned_data["classification"],
                community=community,
                routing=form.routing(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.routing() is None:
                messages.success(request, _("Your question is asked. Now send it to who may know."))
            else:
                messages.success(request, _routed_message(question))
            return redirect(question.get_absolute_url())
    status = 400 if form.errors else 200
    similar = services.similar_questions(person, form.data.get("title", "")) if form.data else []
    return render(request, "qa/ask.html", {"form": form, "similar": similar}, status=status)


def similar(request):
    """The closest questions to the title being typed on the ask page (htmx, a fragment)."""
    person = current_person(request)
    title = request.GET.get("title", "")
    found = services.similar_questions(person, title)
    return render(request, "qa/_similar.html", {"similar": found, "typed": title})


def _community_initial(request) -> dict:
    """`?community=slug` (the Questions tab's Ask button) chooses the community."""
    slug = request.GET.get("community", "")
    return {"community": slug, "audience": "community"} if slug else {}


def _routed_message(question) -> str:
    sent = [r.person.name for r in services.referrals_of(question)]
    if not sent:
        return _(
            "Your question is asked. Nobody stands out for it yet: send it to a colleague below."
        )
    return _("Your question is asked and sent to %(names)s.") % {"names": ", ".join(sent)}


def question_detail(request, question_id: int, answer_form=None, refer_form=None, status=200):
    """One question: its answers, who it was sent to, its timings, and what I may do."""
    person, question = _person_and_question(request, question_id)
    record_opened(person, question, request)
    is_asker = question.post.author_id == person.pk
    context = {
        "question": question,
        "post": question.post,
        **services.question_thread(person, question),
        "is_asker": is_asker,
        "suggestions": services.suggest_answerers(person, question) if is_asker else [],
        "answer_form": answer_form or AnswerForm(),
        "refer_form": refer_form or ReferForm(),
        "routing": services.routing_of(person, question),
    }
    return render(request, "qa/question.html", context, status=status)


def _named(username: str) -> Person:
    handle = (username or "").strip().lstrip("@")
    person = person_by_handle(handle) if handle else None
    if person is None:
        raise ValidationError(
            _("Nobody here is called %(handles)s."), params={"handles": "@" + handle}
        )
    return person


@require_POST
@submitted_once
def send(request, question_id: int):
    """The asker sends the question to the chosen colleagues."""
    person, question = _person_and_question(request, question_id)
    try:
        people = [_named(name) for name in request.POST.getlist("people") if name.strip()]
        reasons = {}
        for p in people:
            reasons[p.pk] = request.POST.get(f"reason-{p.user.username}", "")
        sent = services.send_question(person, question, people, reasons)
    except ValidationError as error:
        report_error(request, error)
    else:
        messages.success(
            request,
            _("Sent to %(names)s.") % {"names": ", ".join(r.person.name for r in sent)},
        )
    return redirect(question.get_absolute_url())


@require_POST
@submitted_once
def refer(request, question_id: int):
    """ "I don't know, ask X"."""
    person, question = _person_and_question(request, question_id)
    form = ReferForm(request.POST)
    if form.is_valid():
        try:
            to = _named(form.cleaned_data["to"])
            services.refer_question(person, question, to, form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error("to", error)
        else:
            messages.success(request, _("Referred to %(name)s.") % {"name": to.name})
            return redirect(question.get_absolute_url())
    return question_detail(request, question_id, refer_form=form, status=400)


@require_POST
def decline(request, question_id: int):
    """ "Not me"."""
    person, question = _person_and_question(request, question_id)
    try:
        services.decline_question(person, question)
    except ValidationError as error:
        report_error(request, error)
    else:
        messages.success(request, _("Noted: not you. Thank you for saying so."))
    return redirect(question.get_absolute_url())


@require_POST
@submitted_once
def answer(request, question_id: int):
    """Post an answer."""
    person, question = _person_and_question(request, question_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_question(
                person,
                question,
                form.cleaned_data["body"],
                guard_override=form.cleaned_data["guard_override"],
            )
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("Your answer is posted."))
            return redirect(question.get_absolute_url())
    return question_detail(request, question_id, answer_form=form, status=400)


ANSWER_ACTIONS = {
    "helpful": lambda person, answer, request: services.mark_helpful(person, answer),
    "unhelpful": lambda person, answer, request: services.withdraw_helpful(person, answer),
    "confirm": lambda person, answer, request: services.confirm_answer(person, answer),
    "accept": lambda person, answer, request: services.accept_answer(person, answer),
    "comment": lambda person, answer, request: services.comment_on_answer(
        person,
        answer,
        request.POST.get("body", ""),
        guard_override=request.POST.get("guard_override"),
    ),
}


@require_POST
@submitted_once
def answer_action(request, answer_id: int, action: str):
    """Vote helpful, confirm, accept or comment on an answer."""
    if action not in ANSWER_ACTIONS:
        raise Http404
    person = current_person(request)
    answer = services.visible_answer(person, answer_id)
    try:
        ANSWER_ACTIONS[action](person, answer, request)
    except ValidationError as error:
        report_error(request, error)
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect(f"{answer.question.get_absolute_url()}#answer-{answer.pk}")


def overview(request):
    """Answer rate and times to answer, this week against the week before; what waits
    (over one community's questions with `?community=slug`)."""
    person = current_person(request)
    slug = request.GET.get("community", "")
    community = readable_community(person, slug) if slug else None
    figures = services.overview(person, community=community)
    figures["communities"] = my_communities(person)
    figures["unanswered"] = figures["unanswered"][:30]
    figures["chart"] = charts.weekly_bars(figures["weeks"])
    return render(request, "qa/overview.html", figures)


def edit_question(request, question_id: int):
    """Change a question's title, text and tags (the asker only)."""
    from kollega.posts.editing import check_author, tag_names
    from kollega.posts.views import edit_page

    person, question = _person_and_question(request, question_id)
    check_author(person, question.post.author_id, _("Only the asker may edit this question."))
    post = question.post

    def save(person, form):
        services.edit_question(
            person,
            question,
            form.cleaned_data["title"],
            form.cleaned_data["body"],
            tags=form.tag_names(),
            guard_override=form.cleaned_data["guard_override"],
        )

    return edit_page(
        request,
        initial={
            "title": question.title,
            "body": "" if post.body == question.title else post.body,
            "tags": tag_names(post),
        },
        save=save,
        heading=_("Edit your question"),
        back_url=question.get_absolute_url(),
        with_title=True,
    )


def edit_answer(request, answer_id: int):
    """Change an answer (its author only)."""
    from kollega.posts.views import edit_body_page

    person = current_person(request)
    answer = services.visible_answer(person, answer_id)
    return edit_body_page(
        request,
        person,
        answer,
        services.edit_answer,
        refusal=_("Only the author may edit this answer."),
        heading=_("Edit your answer"),
        back_url=f"{answer.question.get_absolute_url()}#answer-{answer.pk}",
    )


def edit_answer_comment(request, comment_id: int):
    """Change a comment under an answer (its author only)."""
    from kollega.posts.views import edit_body_page

    person = current_person(request)
    comment = services.visible_answer_comment(person, comment_id)
    url = comment.answer.question.get_absolute_url()
    return edit_body_page(
        request,
        person,
        comment,
        services.edit_answer_comment,
        refusal=_("Only the author may edit this comment."),
        heading=_("Edit your comment"),
        back_url=f"{url}#answer-{comment.answer_id}-comment-{comment.pk}",
    )


def community_questions(request, slug: str):
    """A community's Questions tab: its questions, newest first, and a button to ask one."""
    person = current_person(request)
    community = readable_community(person, slug)
    context = {
        "community": community,
        "questions": services.visible_questions(person, community=community)[:50],
        "is_member": can_post_in(person, community),
    }
    return render(request, "qa/community_questions.html", context)
