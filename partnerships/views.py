from django.shortcuts import render

from geodata.models import BoundarySet, ImportRun


def map_page(request):
    return render(
        request,
        "partnerships/map.html",
        {
            "boundary_set": BoundarySet.objects.filter(is_active=True).first(),
            "register": ImportRun.objects.register_state(),
        },
    )
