"""Each benchmark run with tiny sizes, so they keep working. Never timed assertions: only that
they run, print their table, write JSON, and that nothing is lost or duplicated on the way."""
import json
import subprocess
import sys
from pathlib import Path

from bench import fanout, memory, push_vs_polling, scale_out, submission
from bench.report import write_json

ROOT = Path(__file__).resolve().parents[2]


def test_push_vs_polling_sees_every_change_by_push_and_fewer_by_polling(live, tmp_path, capsys):
    results = push_vs_polling.measure(live, jobs=3, steps=6, interval_ms=100, poll_periods=(0.3,))
    push, poll = results["phases"]["push"], results["phases"]["poll-300ms"]
    assert push["changes_skipped"] == 0 and push["latency"]["n"] > 0
    assert push["http_requests"] == 3 and poll["http_requests"] > 3
    assert poll["latency"]["n"] > 0 and results["ratios"]["poll-300ms_vs_push"]["http_requests_x"] > 1
    push_vs_polling.print_results({**results, "params": {"jobs": 3, "interval_ms": 100}})
    assert "polling ÷ push" in capsys.readouterr().out
    assert json.loads(write_json("push_vs_polling", results, tmp_path).read_text())["phases"]


def test_fanout_delivers_every_event_to_every_feed_client(live, capsys):
    r = fanout.measure(live, clients=20, jobs=2, steps=5, interval_ms=20, timeout=60)
    assert r["clients_finished"] == 20
    assert r["deliveries"] == r["deliveries_expected"] == r["events_stored"] * 20
    assert r["lost"] == 0 and r["duplicated"] == 0 and r["latency"]["p99_ms"] > 0
    fanout.print_results(r)
    assert "deliveries/s" in capsys.readouterr().out


def test_scale_out_round_counts_events_across_both_daphnes(live, capsys):
    results = scale_out.measure({"2 daphnes": live}, clients=4, steps=5, rounds=1)
    r = results["rounds"]["2 daphnes"][0]
    assert r["lost"] == 0 and r["duplicated"] == 0 and r["events_delivered"] == r["events_stored"]
    assert r["cpu_share"]["server_total"] > 0
    scale_out.print_results({**results, "params": {"clients": 4, "steps": 5}})
    assert "events/s" in capsys.readouterr().out


def test_submission_posts_and_sees_every_job_start(live, capsys):
    r = submission.measure(live, submissions=10, concurrency=5, single=2)
    assert r["burst"]["errors"] == 0 and r["burst"]["submit_to_started"]["n"] == 10
    assert r["single"]["submit_to_started"]["n"] == 2 and r["single"]["pending_ts_to_started_ts"]["n"] == 2
    submission.print_results(r)
    assert "submit → started" in capsys.readouterr().out


def test_memory_measures_rss_with_idle_sockets(live, capsys):
    r = memory.measure(live, sockets=20, settle=0.3)
    for phase in (r["feed"], r["job"], r["sse"]):
        assert phase["sockets"] == 20 and phase["rss_mib_open"] > 0
    memory.print_results(r)
    assert "KiB/socket" in capsys.readouterr().out


def test_celery_progress_compare_runs_as_a_command(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "bench.celery_progress_compare", "--calls", "20",
                           "--interval-ms", "5", "--pollers", "2", "--poll-ms", "100", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "celery-progress ÷ Jobcast" in proc.stdout
    results = json.loads(next(tmp_path.glob("celery_progress_compare-*.json")).read_text())
    ways = results["ways"]
    assert ways["jobcast"]["delivered"] == 20 and ways["cp-websocket"]["delivered"] == 20
    assert ways["cp-recorder"]["redis_connections_opened"] == 0


def test_throughput_runs_as_a_command_and_every_client_gets_every_event(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "bench.throughput", "--clients", "3,6", "--steps", "4",
                           "--blast-steps", "5", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "each following its own job" in proc.stdout
    rows = json.loads(next(tmp_path.glob("throughput-*.json")).read_text())["rows"]
    assert [(r["phase"], r["clients"]) for r in rows] == [("end to end", 3), ("end to end", 6),
                                                        ("daphne alone", 3), ("daphne alone", 6)]
    for r in rows:
        assert r["lost"] == 0 and r["duplicated"] == 0 and r["unfinished"] == 0
    # End to end: pending was replayed on connect; started, the stage, 4 progress and success live.
    assert rows[1]["events_delivered"] == rows[1]["events_stored"] - 6 == 6 * 7
    # Daphne alone: seq 2..7 published to each of the 6 job sockets.
    assert rows[3]["events_delivered"] == 6 * 6


def test_worker_cost_runs_as_a_command_and_every_job_succeeds(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "bench.worker_cost", "--jobs", "4", "--steps", "3", "--rounds", "1",
                           "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ms CPU/event" in proc.stdout
    (row,) = json.loads(next(tmp_path.glob("worker_cost-*.json")).read_text())["rows"]
    # Each job: started, the stage, 3 progress and success, through the worker's tracer.
    assert row["jobs_succeeded"] == 4 and row["events"] == 4 * 6 and row["trace_states"] == {"ok": 4}
    assert row["statements_per_job"] > 0 and row["result_rows"] == 0
