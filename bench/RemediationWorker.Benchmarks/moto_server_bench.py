"""moto_server for the drain benchmark: moto as installed, with one receive cost taken out.

moto's ReceiveMessage checks each message it returns against the queue's retention period by calling
get_queue_attributes(queue, ["MessageRetentionPeriod"]), which builds every queue attribute three times,
and three of those (ApproximateNumberOfMessages, ...NotVisible, ...Delayed) scan the whole queue. A receive
of 10 therefore scans the queue about 30 times: 1.5-2.6 s per receive with 500-1,000 messages on this machine
(`drain-sqs-cost` measures it), which alone caps a drain at a few messages a second, whatever the worker does.
Here the check reads the retention period from the queue directly, with the same result; everything else is
moto's own. Run as: python3 moto_server_bench.py -H 127.0.0.1 -p PORT (the arguments of moto_server).
"""
import sys

try:
    import moto.sqs.models as sqs_models
    from moto.core.utils import unix_time
    from moto.server import main
except ImportError as error:
    sys.exit(f"moto is not importable by {sys.executable} ({error}): pip install 'moto[server]' for this python3")


def is_message_valid_based_on_retention_period(self, queue_name, message):
    queue = self.get_queue(queue_name)
    return queue.message_retention_period + message.sent_timestamp / 1000 > unix_time()


sqs_models.SQSBackend.is_message_valid_based_on_retention_period = is_message_valid_based_on_retention_period
sys.exit(main())
