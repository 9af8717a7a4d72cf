"""One source transaction of many wide activities, for the budget tests of the ingest roles."""

FIRST_ID = 40000000000


def insert_activities_sql(rows):
    """INSERT of `rows` activities with ids FIRST_ID + 1 .. FIRST_ID + rows, in one statement."""
    return f"""
        INSERT INTO strava_activities (activity_id, employee_id, name, distance_m, moving_time_s,
          elapsed_time_s, total_elev_gain_m, type, sport_type, start_date_utc, start_date_local,
          timezone, utc_offset_s, calories, raw_payload)
        SELECT {FIRST_ID} + g, 59019, 'Course à pied le matin', 10000 + g % 5000, 3000, 3100, 12.5,
          'Run', 'Run', now() - make_interval(secs => g), localtimestamp,
          '(GMT+01:00) Europe/Paris', 3600, 650,
          jsonb_build_object('id', {FIRST_ID} + g, 'distance', 10000 + g % 5000, 'sport_type', 'Run')
        FROM generate_series(1, {rows}) g"""
