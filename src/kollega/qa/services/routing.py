"""Who is most likely to answer: the expertise ranking, applied to a question.

The ranking itself lives in `kollega.expertise` (one method for "who knows about
X?" and for routing). Routing adds what only a question knows: the asker, the
question's author and the people already asked are never proposed, and neither
is anyone who may not see the question.
"""

from dataclasses import dataclass, field

from kollega.expertise.services import experts_for_question
from kollega.people.models import Person
from kollega.permissions.questions import can_see_question
from kollega.qa.models import Question, Referral

DEFAULT_LIMIT = 5


@dataclass
class Suggestion:
    """A colleague who may know, how strongly, and why."""

    person: Person
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def suggest_answerers(
    asker: Person, question: Question, limit: int = DEFAULT_LIMIT
) -> list[Suggestion]:
    """The colleagues most likely to answer `question`, best first, each with reasons."""
    asked = set(Referral.objects.filter(question=question).values_list("person_id", flat=True))
    experts = experts_for_question(
        asker,
        question,
        exclude=asked | {asker.pk, question.post.author_id},
        accept=lambda person: can_see_question(person, question),
        limit=limit,
    )
    return [Suggestion(e.person, round(e.score, 3), e.reasons) for e in experts]
