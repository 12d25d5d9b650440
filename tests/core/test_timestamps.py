import datetime

from django.template import Context, Template
from django.utils import timezone

from poolconsole.core.templatetags.timestamps import stamp


def test_stamp_formats_minutes_or_seconds_in_the_current_time_zone():
    moment = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    with timezone.override("Europe/Paris"):
        assert stamp(moment) == "2026-03-04 06:06"
        assert stamp(moment, "seconds") == "2026-03-04 06:06:07"
    assert stamp(datetime.datetime(2026, 3, 4, 5, 6)) == "2026-03-04 05:06"


def test_stamp_of_nothing_is_empty_so_default_applies():
    template = Template('{% load timestamps %}{{ value|stamp|default:"—" }}')
    assert template.render(Context({"value": None})) == "—"
    assert stamp("") == ""
