from django.db import models

# The counts one row of DailyFigures keeps (summed over the dossiers it stands for), in display order.
COUNTS = (
    "received",
    "resolved",
    "on_time",
    "late",
    "online",
    "owing_fee",
    "paid",
    "paid_online",
    "electronic_result",
    "components",
    "digitised",
    "rated",
    "rating_sum",
    "satisfied",
    "processing_seconds",
)


class DailyFigures(models.Model):
    """The dossiers an agency received for one procedure on one (local) day, summed: what the public
    statistics and the service index read instead of the dossiers table.

    Kept by reports.services.figures_refresh, which dossier moves call; `manage.py figures_reconcile`
    compares every row with the dossiers table. The outcome columns are what has happened since.
    """

    day = models.DateField("ngày tiếp nhận")
    agency = models.ForeignKey("procedures.Agency", on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey("procedures.Procedure", on_delete=models.CASCADE, related_name="+")
    received = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)  # done or returned
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    online = models.PositiveIntegerField(default=0)
    owing_fee = models.PositiveIntegerField(default=0)  # a fee to pay, not exempt
    paid = models.PositiveIntegerField(default=0)
    paid_online = models.PositiveIntegerField(default=0)
    electronic_result = models.PositiveIntegerField(default=0)  # resolved, result delivered on the portal
    components = models.PositiveIntegerField(default=0)  # required components of the received dossiers
    digitised = models.PositiveIntegerField(default=0)  # of those, with an electronic copy in the dossier
    rated = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)  # rated 4 or 5
    processing_seconds = models.BigIntegerField(default=0)  # resolved: finished − received, summed

    class Meta:
        verbose_name = "số liệu ngày"
        verbose_name_plural = "số liệu ngày"
        constraints = [
            models.UniqueConstraint(fields=["day", "agency", "procedure"], name="daily_figures_unique"),
        ]
        indexes = [models.Index(fields=["agency", "day"], name="daily_figures_agency_day")]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} {self.agency_id}/{self.procedure_id}"


class MonthFigures(models.Model):
    """DailyFigures summed per agency and month: what the pages read (a year is agencies × 12 rows, where the
    days of a province's catalogue are close to one row per dossier). Kept with the day rows."""

    month = models.DateField("tháng (ngày đầu tháng)")
    agency = models.ForeignKey("procedures.Agency", on_delete=models.CASCADE, related_name="+")
    received = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    online = models.PositiveIntegerField(default=0)
    owing_fee = models.PositiveIntegerField(default=0)
    paid = models.PositiveIntegerField(default=0)
    paid_online = models.PositiveIntegerField(default=0)
    electronic_result = models.PositiveIntegerField(default=0)
    components = models.PositiveIntegerField(default=0)
    digitised = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    processing_seconds = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "số liệu tháng"
        verbose_name_plural = "số liệu tháng"
        constraints = [models.UniqueConstraint(fields=["month", "agency"], name="month_figures_unique")]

    def __str__(self):
        return f"{self.month:%m/%Y} {self.agency_id}"


class ClockFigures(models.Model):
    """The received dossiers of an agency and a reception month whose clock runs (dossiers.models.overdue_q's
    states), counted per due date: "overdue as of today" is the sum of the rows due before today. A few rows
    per agency and month stand for the tens of thousands of dossiers under way at a million, so the statistics
    never count the dossiers themselves. Kept with the month rows (reports.services)."""

    month = models.DateField("tháng tiếp nhận (ngày đầu tháng)")
    agency = models.ForeignKey("procedures.Agency", on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField("ngày hẹn trả")
    running = models.PositiveIntegerField(default=0)  # dossiers whose clock runs, with this due date

    class Meta:
        verbose_name = "hồ sơ đang tính hạn"
        verbose_name_plural = "hồ sơ đang tính hạn"
        constraints = [
            models.UniqueConstraint(fields=["month", "agency", "due_date"], name="clock_figures_unique"),
        ]

    def __str__(self):
        return f"{self.month:%m/%Y} {self.agency_id} {self.due_date:%d/%m/%Y}: {self.running}"
