"""Two widgets of the same person press start at the same moment: one block opens."""

from __future__ import annotations

import threading

from tests.support.https_server import TrackMyPeopleServer


def test_two_clients_starting_at_once_open_exactly_one_block(
    trackmypeople_server: TrackMyPeopleServer,
) -> None:
    user = trackmypeople_server.new_user()
    clients = [trackmypeople_server.client(user) for _ in range(2)]
    for client in clients:  # connect and authenticate first, so the starts really race
        assert client.post("status.json").json()["result"] == 1
    barrier = threading.Barrier(len(clients))
    answers: list[dict[str, object]] = []
    lock = threading.Lock()

    def press_start(index: int) -> None:
        tracker = user.trackers["Acme/Support" if index else "Acme/Website"]
        barrier.wait()
        body = clients[index].post("start.json", data={"tracker_id": tracker}).json()
        with lock:
            answers.append(body)

    threads = [threading.Thread(target=press_start, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client in clients:
        client.close()

    assert sorted(int(str(a["result"])) for a in answers) == [0, 1]
    [loser] = [a for a in answers if a["result"] == 0]
    assert "already running" in str(loser["error"])
    [winner] = [a for a in answers if a["result"] == 1]
    with trackmypeople_server.client(user) as api:
        report = api.post("report.json", data={"include_open": "1"}).json()
    open_blocks = [b for k, b in report.items() if k.startswith("block_") and b["TimeOut"] == ""]
    assert len(open_blocks) == 1
    assert open_blocks[0]["TrackerId"] == winner["last_block"]["tracker"]["Id"]  # type: ignore[index]
