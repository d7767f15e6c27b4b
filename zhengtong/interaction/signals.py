"""A letter's search document goes with its publication (a case deleted with everything it had)."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from zhengtong.interaction.models import Publication


@receiver(post_delete, sender=Publication, dispatch_uid="zt_interaction_publication_deleted")
def publication_deleted(sender, instance, **kwargs) -> None:
    from zhengtong.interaction.search import forget_publication

    forget_publication(instance)
