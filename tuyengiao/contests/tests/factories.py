"""Building blocks of the contest tests (also used by the API's schemathesis test and the browser tests)."""

from tuyengiao.contests.models import Option, Question, QuestionKind


def question_add(contest, text: str, options, *, kind=QuestionKind.SINGLE, topic="", order=0, **fields) -> Question:
    """A question of `contest` with its options, given as [(text, correct), …] in the order shown."""
    question = Question.objects.create(contest=contest, text=text, kind=kind, topic=topic, order=order, **fields)
    for position, (option, correct) in enumerate(options):
        Option.objects.create(question=question, text=option, correct=correct, order=position)
    return question
