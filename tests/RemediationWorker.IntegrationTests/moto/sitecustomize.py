"""Loaded by moto_server's Python when the integration tests start it (MotoServer.cs puts this folder on PYTHONPATH).

moto 5 backs up every table a TransactWriteItems names with copy.deepcopy before applying it, so one transaction
costs time in proportion to the whole table: about 0.1 ms an item on the test machine, 250 ms a transaction at
2,000 items, which the replica and chaos tests (thousands of ledger items) cannot afford. This keeps moto's own
transaction code and its all-or-nothing outcome, but saves only the items the transaction names and puts them back
when it fails. The SSM front forwards DynamoDB calls one at a time, so nothing else writes meanwhile.
"""

import copy


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


_install()
