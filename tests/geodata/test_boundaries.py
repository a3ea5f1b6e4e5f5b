import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max

from geodata.boundary_sets import activate
from geodata.importers.boundaries import DEFAULT_SET, load_boundary_set
from geodata.models import Boundary, BoundarySet, LocalAuthority, Region
from tests.geodata.boundary_files import copy_set

pytestmark = pytest.mark.django_db


def command_args(files, *extra):
    return [
        "load_boundaries",
        f"--name={files['name']}",
        f"--la-file={files['la_file']}",
        f"--region-file={files['region_file']}",
        f"--lookup-file={files['lookup_file']}",
        *extra,
    ]


def snapshot():
    return (
        list(BoundarySet.objects.values_list("name", "is_active")),
        LocalAuthority.objects.count(),
        LocalAuthority.objects.aggregate(changed=Max("updated_at"))["changed"],
    )


def test_bundled_set_loads_every_authority_and_region(boundaries):
    assert boundaries.is_active
    assert LocalAuthority.objects.current().count() == 153
    assert Region.objects.count() == 9
    by_type = {
        la_type: LocalAuthority.objects.filter(la_type=la_type).count()
        for la_type in LocalAuthority.Type.values
    }
    assert by_type == {
        "county": 21,
        "unitary": 63,
        "metropolitan_district": 36,
        "london_borough": 33,
    }
    for authority in LocalAuthority.objects.all():
        assert authority.boundary.valid and authority.display_geometry.valid, authority
        assert authority.boundary.geom_type == "MultiPolygon"
        assert authority.boundary.srid == 4326
    rutland = LocalAuthority.objects.get(dfe_code="857")
    assert rutland.name == "Rutland"
    assert rutland.region.name == "East Midlands"
    assert rutland.la_type == "unitary"
    assert 370 < rutland.area_km2 < 400  # generalised boundary: close to ONS's 382 km²
    cornwall = LocalAuthority.objects.get(ons_code="E06000052")
    assert cornwall.boundary.contains(cornwall.display_geometry.point_on_surface)


def test_geometry_stored_as_a_line_plus_polygons_is_repaired(boundaries):
    # North Somerset comes as a GeometryCollection of a MultiPolygon and a stray line.
    north_somerset = LocalAuthority.objects.get(ons_code="E06000024")
    assert north_somerset.boundary.geom_type == "MultiPolygon"
    assert north_somerset.boundary.valid
    assert north_somerset.area_km2 > 300


def test_self_intersecting_polygon_is_repaired(tmp_path, db):
    def bow_tie_hartlepool(features):
        hartlepool = next(f for f in features if f["properties"]["code"] == "E06000001")
        ring = hartlepool["geometry"]["coordinates"][0]
        ring[3], ring[10] = ring[10], ring[3]
        return features

    load_boundary_set(**copy_set(tmp_path, edit_features=bow_tie_hartlepool))
    hartlepool = LocalAuthority.objects.get(ons_code="E06000001")
    assert hartlepool.boundary.valid
    assert hartlepool.display_geometry.valid


def test_loading_the_same_files_again_writes_nothing(boundaries):
    before = snapshot()
    call_command("load_boundaries")
    assert snapshot() == before
    assert BoundarySet.objects.count() == 1
    assert Boundary.objects.count() == 162


def test_former_and_other_codes_resolve_to_the_authorities_of_today(boundaries):
    def names(code):
        return sorted(LocalAuthority.objects.resolve(code).values_list("name", flat=True))

    assert names("909") == ["Cumberland", "Westmorland and Furness"]
    assert names("E10000006") == ["Cumberland", "Westmorland and Furness"]
    assert names("928") == ["North Northamptonshire", "West Northamptonshire"]
    assert names("E10000021") == ["North Northamptonshire", "West Northamptonshire"]
    assert names("835") == ["Dorset"]
    assert names("836") == ["Bournemouth, Christchurch and Poole"]
    assert names("E06000028") == ["Bournemouth, Christchurch and Poole"]
    assert names("E10000023") == ["North Yorkshire"]
    assert names("E08000038") == ["Barnsley"]
    assert names("E08000039") == ["Sheffield"]
    assert names("373") == ["Sheffield"]
    assert names(" e06000017 ") == ["Rutland"]
    assert names("999") == []


def test_a_file_that_is_not_geojson_changes_nothing(boundaries, tmp_path):
    files = copy_set(tmp_path)
    files["la_file"].write_text("<html><body>Service unavailable</body></html>")
    before = snapshot()
    with pytest.raises(CommandError, match="nothing changed: cannot read the local authority"):
        call_command(*command_args({**files, "name": "html-page"}))
    assert snapshot() == before


def test_a_truncated_file_changes_nothing(boundaries, tmp_path):
    files = copy_set(tmp_path)
    content = files["la_file"].read_text()
    files["la_file"].write_text(content[: len(content) // 2])
    before = snapshot()
    with pytest.raises(CommandError, match="cannot read"):
        call_command(*command_args({**files, "name": "truncated"}))
    assert snapshot() == before


def test_an_incomplete_file_is_refused(boundaries, tmp_path):
    files = copy_set(
        tmp_path,
        edit_features=lambda features: [
            f for f in features if f["properties"]["code"] != "E06000017"
        ],
    )
    before = snapshot()
    with pytest.raises(CommandError, match=r"incomplete: 1 LA\(s\) .* missing \(E06000017\)"):
        call_command(*command_args({**files, "name": "incomplete"}))
    assert snapshot() == before


def test_codes_are_validated_against_the_lookup(boundaries, tmp_path):
    def corrupt(features):
        features[0]["properties"]["dfe_la_code"] = "999"
        features[1]["properties"]["code"] = "E06999999"
        return features

    files = copy_set(tmp_path, edit_features=corrupt)
    with pytest.raises(CommandError) as error:
        call_command(*command_args({**files, "name": "bad-codes"}))
    message = str(error.value)
    assert "E06999999" in message
    assert "E06000001 has DfE code 999, the lookup says 805" in message
    assert not BoundarySet.objects.filter(name="bad-codes").exists()


def test_different_files_under_an_existing_name_are_refused(boundaries, tmp_path):
    files = copy_set(tmp_path, edit_features=lambda features: features[::-1])
    with pytest.raises(CommandError, match="loaded from different files"):
        call_command(*command_args({**files, "name": DEFAULT_SET["name"]}))


def barnsley_and_sheffield_recoded(rows):
    """The real May 2025 recodes: the lookup and boundary file carry the new ONS codes."""
    for row in rows:
        if row["ons_code"] != row["ons_code_2025"]:
            row["ons_code"] = row["ons_code_2025"]
    return rows


def recode_features(features):
    recodes = {"E08000016": "E08000038", "E08000019": "E08000039"}
    for feature in features:
        code = feature["properties"]["code"]
        feature["properties"]["code"] = recodes.get(code, code)
    return features


def test_a_new_set_loads_inactive_then_switches_on_in_one_step(boundaries, tmp_path):
    barnsley = LocalAuthority.objects.get(name="Barnsley")
    files = copy_set(
        tmp_path, edit_features=recode_features, edit_lookup=barnsley_and_sheffield_recoded
    )
    call_command(*command_args({**files, "name": "utla-2025"}, "--no-activate"))

    new_set = BoundarySet.objects.get(name="utla-2025")
    assert not new_set.is_active and new_set.checked_at and new_set.check_problems == []
    assert LocalAuthority.objects.get(pk=barnsley.pk).ons_code == "E08000016"

    call_command("activate_boundaries", "utla-2025")
    barnsley.refresh_from_db()
    assert barnsley.ons_code == "E08000038"  # same authority, recoded in place
    assert barnsley.dfe_code == "370"
    assert list(LocalAuthority.objects.resolve("E08000016")) == [barnsley]
    assert LocalAuthority.objects.current().count() == 153
    assert list(BoundarySet.objects.filter(is_active=True)) == [new_set]

    # The previous set stays available and can be switched back on.
    call_command("activate_boundaries", DEFAULT_SET["name"])
    barnsley.refresh_from_db()
    assert barnsley.ons_code == "E08000016"
    assert BoundarySet.objects.get(name=DEFAULT_SET["name"]).is_active


def test_a_set_that_loses_an_authority_without_successor_is_not_switched_on(boundaries, tmp_path):
    files = copy_set(
        tmp_path,
        edit_features=lambda fs: [f for f in fs if f["properties"]["code"] != "E06000017"],
        edit_lookup=lambda rows: [r for r in rows if r["ons_code"] != "E06000017"],
    )
    with pytest.raises(CommandError, match="code continuity.*E06000017 Rutland"):
        call_command(*command_args({**files, "name": "without-rutland"}))
    assert BoundarySet.objects.get(name="without-rutland").is_active is False
    assert BoundarySet.objects.get(name=DEFAULT_SET["name"]).is_active
    assert LocalAuthority.objects.current().filter(name="Rutland").exists()


def test_only_one_set_is_active_at_a_time(boundaries, tmp_path):
    files = copy_set(tmp_path, edit_features=lambda features: features[::-1])
    result = load_boundary_set(**{**files, "name": "reordered"}, activate_when_checked=False)
    activate(result.boundary_set)
    assert list(BoundarySet.objects.filter(is_active=True).values_list("name", flat=True)) == [
        "reordered"
    ]
