from django.shortcuts import render

from geodata.models import BoundarySet


def map_page(request):
    return render(
        request,
        "partnerships/map.html",
        {"boundary_set": BoundarySet.objects.filter(is_active=True).first()},
    )
