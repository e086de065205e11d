"""Nothing outside the workflow layer writes a story's state or saves one.

A grep over the package (migrations aside): assigning ``status``, ``publish_at``,
``expire_at`` or ``corrected_at`` on an object, or calling ``.save(`` on a
story, is allowed only in the workflow module. Saves of other models are
named here one by one, so that a new one has to be looked at.
"""

import re
from pathlib import Path

from django.conf import settings

PACKAGE = Path(settings.BASE_DIR) / "articles"
WORKFLOW = {"workflow.py", "desk/workflow.py", "desk/steps.py", "desk/editing.py"}
STATE = re.compile(r"\.(status|publish_at|expire_at|corrected_at)\s*=(?!=)")
# Story fields passed to a write: update(status=...), create(..., publish_at=...).
STATE_KWARG = re.compile(r"\b(update|create|update_or_create)\([^)]*\b(status|publish_at)=")
SAVE = re.compile(r"([\w.]+(?:\(\))?)\.save\(")
# Saves that are not of a story: receiver names as they appear in the code.
OTHER_SAVES = {
    "super()",  # a model's own save() calling Django's
    "user",  # staff accounts (create_staff, seed_demo)
    "work",  # DueWork rows (scheduling)
    "image",  # Image rows (images.py)
    "pixels",
    "resized",  # Pillow images written to bytes
    "default_storage",
    "files",  # file storage
    "partner",  # API partners (admin/api.py)
    "coverage",
    "update",  # live coverage and its updates, records of their own (desk/live.py)
    "media/uploads.py:form",  # the image upload form
    "models/querysets.py:tag",  # Tag.objects.for_name() making a tag
    "desk/breaking.py:window",  # a story's breaking-news window, a record of its own
    "desk/front.py:draft",
    "desk/front.py:page",  # front-page arrangements (not stories)
}
# Lines that name a state field on something that is not a story.
NOT_A_STORY = {'management/commands/ingest.py: self.publish_at = options["publish_at"]'}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("migrations/") or relative in WORKFLOW:
            continue
        yield relative, path.read_text(encoding="utf-8")


def test_no_story_state_is_written_outside_the_workflow():
    found = []
    for name, text in _modules():
        for number, line in enumerate(text.splitlines(), 1):
            code = line.split("#", 1)[0]
            if (STATE.search(code) or STATE_KWARG.search(code)) and (
                f"{name}: {line.strip()}" not in NOT_A_STORY
            ):
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == []


def test_no_story_is_saved_outside_the_workflow():
    found = []
    for name, text in _modules():
        for number, line in enumerate(text.splitlines(), 1):
            for receiver in SAVE.findall(line.split("#", 1)[0]):
                if receiver not in OTHER_SAVES and f"{name}:{receiver}" not in OTHER_SAVES:
                    found.append(f"{name}:{number}: {line.strip()}")
    assert found == []


def test_the_rule_catches_what_it_is_meant_to():
    assert STATE.search("article.status = Status.DRAFT")
    assert STATE.search("story.publish_at=at")
    assert not STATE.search("if article.status == Status.DRAFT:")
    assert STATE_KWARG.search("Article.objects.filter(pk=1).update(status='published')")
    assert SAVE.findall("    article.save()") == ["article"]
    assert SAVE.findall("    super().save(*args, **kwargs)") == ["super()"]
