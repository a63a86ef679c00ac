"""Private files can live in an S3-compatible object store (several web and worker
machines share them): attachments and the agenda PDF go to the bucket, nothing to the local
folder, and the views serve them to those who may see them, as from the local folder.

The S3 server is moto's (`moto[server]`, from PyPI): a real HTTP server speaking the S3
protocol, started by the test on a free port. MinIO, the usual self-hosted choice, is not
in the package registries the suite may use (pip, npm, apt); moto is, and it implements the
calls django-storages makes (put, get, head, list, delete)."""

from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from meetings import services
from meetings.tests.factories import schedule
from meetings.tests.test_attachments import PDF, assert_download, item_with_file

pytestmark = pytest.mark.django_db

BUCKET = "faellesindgang-private"


@pytest.fixture
def s3(settings, tmp_path):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-north-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
    )
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.PRIVATE_S3_BUCKET = BUCKET
    settings.PRIVATE_S3_ENDPOINT_URL = endpoint
    settings.PRIVATE_S3_REGION = "eu-north-1"
    settings.PRIVATE_S3_ACCESS_KEY_ID = "test"
    settings.PRIVATE_S3_SECRET_ACCESS_KEY = "test"
    yield client
    server.stop()


def objects_in(client) -> dict[str, bytes]:
    listing = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {
        entry["Key"]: client.get_object(Bucket=BUCKET, Key=entry["Key"])["Body"].read()
        for entry in listing
    }


def test_attachments_and_agenda_pdfs_go_to_the_bucket_and_are_served_from_it(
    s3,
    settings,
    forums,
    secretariat_user,
    secretariat_client,
    member_client,
    anonymous_client,
    django_capture_on_commit_callbacks,
):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=30)
    attachment = item_with_file(
        secretariat_user, meeting, "Udlejning", "udlejning.pdf"
    ).attachments.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send(actor=secretariat_user, meeting=meeting)

    stored = objects_in(s3)
    assert stored[attachment.file.name] == PDF
    version = meeting.versions.get()
    assert version.pdf.name in stored and stored[version.pdf.name].startswith(b"%PDF")
    local = Path(settings.PRIVATE_MEDIA_ROOT)
    assert not local.exists() or not any(p.is_file() for p in local.rglob("*"))

    url = f"/bilag/{attachment.pk}/"
    assert_download(member_client.get(url), "udlejning.pdf")
    assert anonymous_client.get(url).status_code == 404
