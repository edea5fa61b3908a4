def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.get_json() == {"status": "ok", "database": "ok", "rate_limits": "ok"}


def test_make_meeting(make_meeting):
    m = make_meeting(name="Step Study")
    assert m.attendance == "in_person"
