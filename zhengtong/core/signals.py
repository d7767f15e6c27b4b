"""Keeping the working-day clock in step with the calendar tables, and auditing edits by hand."""

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from zhengtong.core.models import CalendarDay, CalendarYear
from zhengtong.core.workdays import schedule_changed


@receiver(post_save, sender=CalendarDay, dispatch_uid="zt_calendar_day_saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="zt_calendar_day_deleted")
def calendar_day_changed(sender, **kwargs) -> None:
    schedule_changed()


@receiver(post_save, sender=CalendarYear, dispatch_uid="zt_calendar_year_saved")
@receiver(post_delete, sender=CalendarYear, dispatch_uid="zt_calendar_year_deleted")
def calendar_year_changed(sender, instance: CalendarYear, **kwargs) -> None:
    # A configuration change that moves every deadline (GB/T 22239-2019 8.1.4.3: audit configuration changes).
    from zhengtong.audit.services import record

    schedule_changed()
    if kwargs.get("raw"):
        return  # loading a fixture or a serialised database: restoring rows, not an edit
    action = "calendar.change" if "created" in kwargs else "calendar.delete"
    record(action, obj=instance, detail={"year": instance.year})


@receiver(post_migrate, dispatch_uid="zt_calendar_seed")
def seed_calendar(sender, app_config, **kwargs) -> None:
    if app_config.label != "core":
        return
    from zhengtong.core.holidays import seed_from_package

    seed_from_package()
