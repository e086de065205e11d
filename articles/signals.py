"""Cache upkeep only; no workflow rule lives in a signal.

A story's changes reach the caches through the workflow's own announcements
(``article_changed`` for every committed write, ``article_transitioned`` for live
coverage), sent once the transaction has committed. The other
public things — sections, authors, tags, pictures — are edited outside the
workflow, so their saves retire their own keys, and nothing more.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.desk.workflow import article_changed, article_transitioned
from articles.models import (
    Article,
    Author,
    BreakingNews,
    FrontPage,
    FrontSlot,
    Image,
    LiveUpdate,
    Section,
    Tag,
)
from articles.site import breaking, purging, surrogates

article_changed.connect(purging.story_changed, dispatch_uid="purge-story")
article_transitioned.connect(purging.live_coverage_changed, dispatch_uid="purge-live")


@receiver([post_save, post_delete], sender=Section)
def section_changed(instance, **kwargs):
    # Every page's masthead lists the sections; feeds and sitemaps name them.
    purging.purge_on_commit(
        {
            surrogates.section(instance.pk),
            surrogates.NAV,
            surrogates.FEED,
            surrogates.SITEMAP,
        },
        hard=True,
    )


@receiver([post_save, post_delete], sender=BreakingNews)
def banner_changed(**kwargs):
    # The banner is on every public page, like the masthead (issue 15).
    transaction.on_commit(breaking.forget)
    purging.purge_on_commit({surrogates.NAV}, hard=True)


@receiver([post_save, post_delete], sender=Article)
def breaking_story_changed(instance, **kwargs):
    # A breaking story withdrawn, expired or embargoed takes its banner off every page.
    transaction.on_commit(breaking.forget)
    if BreakingNews.objects.filter(article_id=instance.pk).exists():
        purging.purge_on_commit({surrogates.NAV}, hard=True)


@receiver([post_save, post_delete], sender=FrontPage)
@receiver([post_save, post_delete], sender=FrontSlot)
def front_page_changed(**kwargs):
    # An arrangement changed: only the home page shows it.
    purging.purge_on_commit({surrogates.HOME}, hard=True)


@receiver([post_save, post_delete], sender=Author)
def author_changed(instance, created=False, **kwargs):
    # A new author is on no card yet: only their own page (a cached "not found") changes.
    keys = (
        {surrogates.author(instance.pk)}
        if created
        else {surrogates.author(instance.pk), surrogates.BYLINES}
    )
    purging.purge_on_commit(keys, hard=True)


@receiver([post_save, post_delete], sender=Tag)
def tag_changed(instance, **kwargs):
    purging.purge_on_commit({surrogates.tag(instance.pk)}, hard=True)


@receiver(post_save, sender=Image)
def image_changed(instance, **kwargs):
    """A picture's words or crop changed: only the live stories that show it change."""
    keys = set()
    if Article.objects.filter(lead_image=instance).exists():
        keys.add(surrogates.PICTURES)  # the kept cards of any story it leads, live or not
    for story in Article.objects.live().filter(lead_image=instance).only("pk", "section_id"):
        keys |= surrogates.keys_of(story)  # its page and every listing showing its card
    in_updates = LiveUpdate.objects.filter(image=instance, article__in=Article.objects.live())
    keys |= {surrogates.story(pk) for pk in in_updates.values_list("article_id", flat=True)}
    if keys:
        purging.purge_on_commit(keys, hard=True)
