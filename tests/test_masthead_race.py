"""The masthead's sections stay right when a section is added while a page is rendered.

The sections are kept in the cache for every page. A page that read them just before a
new section was committed, and stored them just after, used to leave the masthead
without it for the cache's five minutes (the key was deleted on commit, then written
again with the old list). Found while tracing a flaky browser test that saw another
run's sections in the masthead (that one was two runs sharing a Redis: settings_test.py).
"""

import re
import threading

import pytest
from django.db import connection
from django.test import Client

from tests.factories import make_section

pytestmark = pytest.mark.django_db(transaction=True)


def masthead(response) -> list[str]:
    nav = response.content.decode().split('class="sections-nav"')[1].split("</nav>")[0]
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav)


def test_a_page_that_read_the_sections_before_a_new_one_does_not_hide_it():
    make_section("عربي ودولي", slug="world", order=1)
    read, carry_on = threading.Event(), threading.Event()
    errors = []

    def pause_after_reading_the_sections(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if 'FROM "articles_section"' in sql and not read.is_set():
            read.set()  # this page has the sections as they were…
            carry_on.wait(5)  # …and stores them only after the new one is committed
        return result

    def render_a_page():
        try:
            with connection.execute_wrapper(pause_after_reading_the_sections):
                Client().get("/latest/")
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            carry_on.set()
            connection.close()  # the thread had its own real connection

    page = threading.Thread(target=render_a_page)
    page.start()
    assert read.wait(5)
    make_section("اقتصاد", slug="economy", order=2)  # committed while that page renders
    carry_on.set()
    page.join()

    assert errors == []
    shown = masthead(Client().get("/"))
    assert shown[2:] == ["عربي ودولي", "اقتصاد"]  # after "home" and "latest"
