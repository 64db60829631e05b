"""Loaded by moto_server's Python when the integration tests start it (MotoServer.cs puts this folder on PYTHONPATH).

SQS: moto 5 reads the clock through datetime arithmetic (moto.core.utils.unix_time: utcnow() minus the epoch) for
every message it looks at, and looks at every message of a queue on each receive, visibility change and attribute
read, so a queue of 1,000 messages cost about 1.9 s a receive and 0.24 s a GetQueueAttributes on the test machine
(0.05 s and 0.015 s with this). The same clock is read with time.time(): seconds since the epoch, as before.

Two changes to moto 5's TransactWriteItems, both towards DynamoDB's own behaviour, and one to its ReceiveMessage:

- Speed. moto backs up every table a transaction names with copy.deepcopy before applying it, so one transaction
  costs time in proportion to the whole table: about 0.1 ms an item on the test machine, 250 ms a transaction at
  2,000 items, which the replica and chaos tests (thousands of ledger items) cannot afford. This keeps moto's own
  transaction code and its all-or-nothing outcome, but saves only the items the transaction names and puts them
  back when it fails. The SSM front forwards DynamoDB calls one at a time, so nothing else writes meanwhile.
- ClientRequestToken. DynamoDB makes TransactWriteItems idempotent for 10 minutes by its ClientRequestToken: a
  retry of a transaction that succeeded (its answer lost to a client timeout) succeeds again without applying it
  twice, and the same token with other items is an IdempotentParameterMismatchException. moto ignores the token,
  so such a retry would fail its own conditions and look like another writer's.
- ReceiveMessage speed. moto checks each message a receive returns against the queue's retention period through
  get_queue_attributes(queue, ["MessageRetentionPeriod"]), which builds every queue attribute three times, and
  three of those (ApproximateNumberOfMessages, ...NotVisible, ...Delayed) scan the whole queue: a receive of 10
  scans it about 30 times, 1.1 s with 1,000 messages queued (the benchmark's drain-sqs-cost). That alone held the
  drain benchmark to a few messages a second and the chaos test's queue of thousands to less. The check reads the
  retention period from the queue directly, with the same answer. MOTO_STOCK_RECEIVE=1 leaves moto's own check
  (the benchmark's BENCH_STOCK_MOTO=1), and the clock too: stock moto's SQS for comparison.
"""

import copy
import json
import os
import threading
import time

IDEMPOTENCY_WINDOW_SECONDS = 600


def _install_sqs_clock():
    if os.environ.get("MOTO_STOCK_RECEIVE") == "1":
        return
    try:
        from moto.sqs import models
    except Exception:  # noqa: BLE001 - not this moto: leave it as it is
        return

    if getattr(models.unix_time, "fast_clock", False):
        return

    datetime_millis, datetime_seconds = models.unix_time_millis, models.unix_time

    def unix_time_millis(dt=None):
        return time.time() * 1000.0 if dt is None else datetime_millis(dt)

    def unix_time(dt=None):
        return time.time() if dt is None else datetime_seconds(dt)

    unix_time.fast_clock = True
    models.unix_time_millis = unix_time_millis
    models.unix_time = unix_time


def _install():
    try:
        from moto.dynamodb import models
    except Exception:  # noqa: BLE001 - not this moto: leave it as it is
        return

    backend = models.DynamoDBBackend
    original = backend.transact_write_items
    if getattr(original, "item_backup", False):
        return

    class TablesByReference:
        """Stands in for the copy module inside moto's transact_write_items: tables are not copied."""

        def __getattr__(self, name):
            return getattr(copy, name)

        @staticmethod
        def deepcopy(value, memo=None):
            return value if isinstance(value, models.Table) else copy.deepcopy(value, memo)

    def saved_items(self, transact_items):
        saved = []
        for entry in transact_items:
            try:
                _, op = next(iter(entry.items()))
                table = self.tables[op["TableName"]]
                if "Item" in op:
                    key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
                    if table.range_key_attr is not None:
                        key[table.range_key_attr] = op["Item"][table.range_key_attr]
                else:
                    key = op["Key"]
                hash_key, range_key = self.get_keys_value(table, key)
            except Exception:  # noqa: BLE001 - moto reports a malformed entry itself
                continue
            saved.append((table, hash_key, range_key, copy.deepcopy(table.get_item(hash_key, range_key))))
        return saved

    def restore(saved):
        for table, hash_key, range_key, item in reversed(saved):
            if item is None:
                table.delete_item(hash_key, range_key)
            elif range_key is not None:
                table.items[hash_key][range_key] = item
            else:
                table.items[hash_key] = item

    def transact_write_items(self, transact_items):
        saved = saved_items(self, transact_items)
        models.copy = TablesByReference()
        try:
            return original(self, transact_items)
        except Exception:
            restore(saved)
            raise
        finally:
            models.copy = copy

    transact_write_items.item_backup = True
    backend.transact_write_items = transact_write_items


def _install_client_request_token():
    try:
        from moto.core.exceptions import JsonRESTError
        from moto.dynamodb.responses import DynamoHandler
    except Exception:  # noqa: BLE001 - not this moto: leave it as it is
        return

    original = DynamoHandler.transact_write_items
    if getattr(original, "client_request_token", False):
        return

    done = {}  # token -> (items as JSON, when, answer)
    lock = threading.Lock()

    def transact_write_items(self):
        token = self.body.get("ClientRequestToken")
        if not token:
            return original(self)
        items = json.dumps(self.body.get("TransactItems"), sort_keys=True)
        now = time.monotonic()
        with lock:
            for stale in [t for t, (_, when, _) in done.items() if now - when > IDEMPOTENCY_WINDOW_SECONDS]:
                del done[stale]
            previous = done.get(token)
        if previous is not None:
            if previous[0] != items:
                raise JsonRESTError(
                    "IdempotentParameterMismatchException",
                    "The request uses the same client token as a previous, but non-identical request.",
                )
            return previous[2]
        answer = original(self)
        with lock:
            done[token] = (items, now, answer)
        return answer

    transact_write_items.client_request_token = True
    DynamoHandler.transact_write_items = transact_write_items


def _install_receive_retention_check():
    if os.environ.get("MOTO_STOCK_RECEIVE") == "1":
        return
    try:
        from moto.sqs import models
    except Exception:  # noqa: BLE001 - not this moto: leave it as it is
        return

    def is_message_valid_based_on_retention_period(self, queue_name, message):
        queue = self.get_queue(queue_name)
        return queue.message_retention_period + message.sent_timestamp / 1000 > time.time()

    models.SQSBackend.is_message_valid_based_on_retention_period = is_message_valid_based_on_retention_period


_install_sqs_clock()
_install()
_install_client_request_token()
_install_receive_retention_check()
