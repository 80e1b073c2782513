import { CrmsyncError, type Photo, photoHash } from '../../../../core/index.js';
import { type CrmRecords, withId } from '../crm-records.js';
import { getAt, setAt } from '../mapping/json-pointer.js';

/** The photo endpoint: image bytes as the body (`binary`) or as base64 in JSON. */
export class PhotoEndpoint {
  constructor(private readonly crm: CrmRecords) {}

  async read(id: string): Promise<Photo | undefined> {
    const endpoint = this.crm.require('photo');
    const where = `GET ${endpoint.path}`;
    const response = await this.crm.http.send({
      method: 'GET',
      path: withId(endpoint.path, id),
      endpoint: where,
      recordId: id,
      accept: [404],
    });
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (endpoint.encoding === 'binary') {
      const bytes = new Uint8Array(await response.arrayBuffer());
      const mediaType = (response.headers.get('content-type') ?? 'application/octet-stream')
        .split(';')[0]!
        .trim();
      return { mediaType, bytes, hash: photoHash(bytes) };
    }
    const body = await response.json().catch(() => undefined);
    const data = getAt(body, endpoint.data ?? '/data');
    const mediaType = getAt(body, endpoint.mediaType ?? '/mediaType');
    if (typeof data !== 'string' || typeof mediaType !== 'string') {
      throw new CrmsyncError('CRMSYNC_ERR_CRM_RESPONSE', 'the photo answer lacks base64 data or media type', {
        endpoint: where,
        recordId: id,
        pointer: typeof data !== 'string' ? endpoint.data : endpoint.mediaType,
      });
    }
    const bytes = new Uint8Array(Buffer.from(data, 'base64'));
    return { mediaType, bytes, hash: photoHash(bytes) };
  }

  /**
   * Sets or removes the photo with the given version headers. Answers the response body (the
   * contact after the write, for CRMs that send it), or undefined.
   */
  async write(id: string, photo: Photo | undefined, headers: Record<string, string>): Promise<unknown> {
    const endpoint = this.crm.require('photo');
    const path = withId(endpoint.path, id);
    if (!photo) {
      if (endpoint.remove === 'none') return undefined;
      const { body } = await this.crm.http.json({
        method: 'DELETE',
        path,
        headers,
        endpoint: `DELETE ${endpoint.path}`,
        recordId: id,
        // Some CRMs answer 404 when there is no photo to remove: that is the state asked for.
        accept: [404],
      });
      return body;
    }
    const method = endpoint.method ?? 'PUT';
    const where = `${method} ${endpoint.path}`;
    if (!photo.bytes) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_PHOTO_NO_BYTES',
        'a photo given only by reference cannot be uploaded',
        {
          endpoint: where,
          recordId: id,
          field: 'photo',
        },
      );
    }
    if (endpoint.encoding === 'binary') {
      const { body } = await this.crm.http.json({
        method,
        path,
        bytes: { data: photo.bytes, mediaType: photo.mediaType },
        headers,
        endpoint: where,
        recordId: id,
      });
      return body;
    }
    const json: Record<string, unknown> = {};
    setAt(json, endpoint.data ?? '/data', Buffer.from(photo.bytes).toString('base64'));
    setAt(json, endpoint.mediaType ?? '/mediaType', photo.mediaType);
    const { body } = await this.crm.http.json({ method, path, json, headers, endpoint: where, recordId: id });
    return body;
  }
}
