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
    decline_question,
    refer_question,
    send_question,
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
    "Suggestion",
    "accept_answer",
    "answer_question",
    "ask_question",
    "comment_on_answer",
    "confirm_answer",
    "decline_question",
    "edit_answer",
    "edit_answer_comment",
    "edit_question",
    "mark_helpful",
    "overview",
    "question_inbox",
    "question_thread",
    "refer_question",
    "referral_chain",
    "referrals_of",
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
