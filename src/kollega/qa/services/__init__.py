"""The rules of questions and answers: asking, routing, answering, referring.

Each function takes the acting person first, checks permission through
`permissions.questions`, changes state in one transaction and notifies.
"""

from kollega.qa.services.answers import (
    accept_answer,
    answer_question,
    comment_on_answer,
    confirm_answer,
    mark_helpful,
    withdraw_helpful,
)
from kollega.qa.services.asking import (
    QUESTION_AUDIENCES,
    ask_question,
    community_to_ask_in,
    decline_question,
    may_put_to,
    refer_question,
    send_question,
)
from kollega.qa.services.autorouting import (
    Routing,
    escalate_due_questions,
    route_question,
    routing_of,
)
from kollega.qa.services.editing import edit_answer, edit_answer_comment, edit_question
from kollega.qa.services.reading import (
    overview,
    question_inbox,
    question_thread,
    referral_chain,
    referrals_of,
    visible_answer,
    visible_answer_comment,
    visible_question,
    visible_questions,
    weekly_figures,
)
from kollega.qa.services.routing import Suggestion, suggest_answerers
from kollega.qa.services.similar import similar_questions

__all__ = [
    "QUESTION_AUDIENCES",
    "Routing",
    "Suggestion",
    "accept_answer",
    "answer_question",
    "ask_question",
    "comment_on_answer",
    "community_to_ask_in",
    "confirm_answer",
    "decline_question",
    "edit_answer",
    "edit_answer_comment",
    "edit_question",
    "escalate_due_questions",
    "mark_helpful",
    "may_put_to",
    "overview",
    "question_inbox",
    "question_thread",
    "refer_question",
    "referral_chain",
    "referrals_of",
    "route_question",
    "routing_of",
    "send_question",
    "similar_questions",
    "suggest_answerers",
    "visible_answer",
    "visible_answer_comment",
    "visible_question",
    "visible_questions",
    "weekly_figures",
    "withdraw_helpful",
]
