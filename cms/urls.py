from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("mine/", views.MyReservationsView.as_view(), name="mine"),
    path("staff/", views.StaffHomeView.as_view(), name="staff"),
    path("<int:pk>/reserve/", views.ReserveView.as_view(), name="reserve"),
    path("<int:pk>/calendar.ics", views.EventCalendarView.as_view(), name="ics"),
    path("<int:pk>/reservations/", views.ReservationListView.as_view(), name="reservations"),
    path("<int:pk>/checkin/", views.CheckInView.as_view(), name="checkin"),
    path("<int:pk>/attendance.csv", views.AttendanceCSVView.as_view(), name="attendance"),
    path("reservations/<int:pk>/cancel/", views.CancelView.as_view(), name="cancel"),
    path("reservations/<int:pk>/calendar.ics", views.ReservationCalendarView.as_view(), name="reservation-ics"),
    path("teams/<int:pk>/join/", views.JoinTeamView.as_view(), name="join-team"),
    path("teams/requests/<int:pk>/handled/", views.VolunteerRequestHandledView.as_view(), name="request-handled"),
]
