"""Self-calibration and consistent scorecards in the browser's pages (TestClient)."""

import re
from pathlib import Path

from fastapi.testclient import TestClient

from pmloop.coach import Coach, LoopSettings
from pmloop.grading import Examiner
from pmloop.store import open_repository
from pmloop.web import create_app

QUESTION = "eval-new-llm-feature-before-launch"


def test_the_answer_form_takes_a_self_rating_and_the_scorecard_says_not_assessed(
    examiner: Examiner, tmp_path: Path
) -> None:
    repo = open_repository(f"sqlite:///{tmp_path / 'web.db'}")
    session = Coach(examiner, repo).start(LoopSettings(plan=(QUESTION,), follow_ups=0))
    local = "http://127.0.0.1"
    client = TestClient(create_app(examiner, repo), base_url=local, headers={"Origin": local})
    page = client.get(f"/sessions/{session.id}").text
    csrf = client.cookies["pmloop_csrf"]  # the token the page's forms carry
    assert 'name="self_level" value="3"' in page
    answer = examiner.bank.get(QUESTION).references.strong
    sent = client.post(
        f"/sessions/{session.id}/answer",
        data={
            "question_index": "0",
            "depth": "0",
            "text": answer,
            "self_level": "4",
            "csrf": csrf,
        },  # fmt: skip
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert repo.get(session.id).turns[0].self_level == 4
    done = client.get(f"/sessions/{session.id}").text
    assert "You predicted Senior" in done
    # one question: one competency assessed, the other six named in one line
    unassessed = re.search(
        r"Not assessed \(no question in this loop mainly tested it\): ([^<.]*)\.", done
    )
    assert unassessed is not None and len(unassessed.group(1).split(", ")) == 6
    assert "Overall: the average of the assessed competencies" in done
    bad = client.post(
        f"/sessions/{session.id}/answer",
        data={
            "question_index": "0",
            "depth": "0",
            "text": answer,
            "self_level": "9",
            "csrf": csrf,
        },  # fmt: skip
    )
    assert bad.status_code == 422
    repo.engine.dispose()
