from django.urls import path, register_converter

from . import postal_views, review_views, views


class DayConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(DayConverter, "day")

app_name = "workspace"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("products/new/", views.ProductFormView.as_view(), name="product-new"),
    path("products/<int:pk>/", views.ProductFormView.as_view(), name="product-edit"),
    path("products/<int:pk>/batches/", views.BatchCreateView.as_view(), name="batch-new"),
    path("batches/<str:code>/labels/", views.LabelsView.as_view(), name="labels"),
    path("orders/", views.OrdersView.as_view(), name="orders"),
    path("orders/<str:number>/shipped/", postal_views.ShippedView.as_view(), name="shipped"),
    path("orders/<str:number>/cash/", postal_views.CashView.as_view(), name="cash"),
    path("deliveries/<day:day>/<int:point>/", views.PackingListView.as_view(), name="packing"),
    path("deliveries/<day:day>/<int:point>/delivered/", views.DeliveredView.as_view(), name="delivered"),
    path("review/", review_views.ReviewQueueView.as_view(), name="review"),
    path("review/<int:pk>/", review_views.ReviewDecisionView.as_view(), name="review-decide"),
]
