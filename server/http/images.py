"""The pictures of image notes (docs/protocol.md section 2.11): sent by those who may write
notes, re-encoded by the server, read back by every role of the board."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.boards.image_ids import is_image_id
from server.boards.images import MAX_INPUT_BYTES, ImageRefused, reencode
from server.errors import ArdoiseError
from server.http import inputs
from server.protocol import ErrorCode, Role

# Who reads an image is checked on every request (the token): a cache keeps it for this person
# only. An id names one picture forever, so what is kept never goes stale.
_CACHE = "private, max-age=31536000, immutable"


async def post_image(request: Request) -> JSONResponse:
    services = inputs.services(request)
    board, role = await inputs.authorized_board(request)
    if role is Role.OBSERVER:
        raise ArdoiseError(ErrorCode.FORBIDDEN, "observers do not add notes, images included")
    inputs.storage_works(request)
    if not services.image_limiter.allow(inputs.client_address(request)):
        raise ArdoiseError(ErrorCode.RATE_LIMITED, "too many images sent from this address")
    if role is Role.PARTICIPANT:
        async with services.registry.borrowed(board.id) as room:
            if room.is_locked:
                raise ArdoiseError(ErrorCode.BOARD_LOCKED, "the board is locked by the facilitator")
    body = await inputs.read_body(request, MAX_INPUT_BYTES)
    try:
        # In a worker process: a decoder's work (or a bomb's) never holds the event loop.
        image = await services.workers.run(True, reencode, body)
    except ImageRefused as exc:
        raise ArdoiseError(ErrorCode.INVALID, str(exc)) from None
    image_id = await services.images.add(board.id, image)
    if image_id is None:
        raise ArdoiseError(
            ErrorCode.INVALID,
            f"the board's images are full ({services.images.max_board_bytes} bytes in all)",
        )
    return JSONResponse(
        {
            "id": image_id,
            "width": image.width,
            "height": image.height,
            "mediaType": image.media_type,
        },
        status_code=201,
    )


async def get_image(request: Request) -> Response:
    board, _ = await inputs.authorized_board(request)
    image_id = request.path_params["image_id"]
    found = None
    if is_image_id(image_id):
        found = await inputs.services(request).images.get(board.id, image_id)
    if found is None:
        raise ArdoiseError(ErrorCode.NOT_FOUND, "no image with this id on this board")
    return Response(
        found.data,
        media_type=found.media_type,
        headers={"Cache-Control": _CACHE, "Content-Disposition": "inline"},
    )


routes = [
    Route("/api/boards/{board_id}/images", post_image, methods=["POST"]),
    Route("/api/boards/{board_id}/images/{image_id}", get_image, methods=["GET"]),
]
