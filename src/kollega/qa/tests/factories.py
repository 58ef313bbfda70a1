"""Test factories for questions: the same services the product uses."""

from kollega.people.models import Person
from kollega.qa import services
from kollega.qa.models import Question


def ask(asker: Person, title: str = "How long does an opened bottle of wine keep?", **kwargs):
    kwargs.setdefault("tags", ["wine"])
    return services.ask_question(asker, title, kwargs.pop("body", ""), **kwargs)


def fresh(question: Question) -> Question:
    return Question.objects.select_related("post").get(pk=question.pk)
