import { ConfigError, loadConfig } from '../../src';

describe('loadConfig', () => {
  const env = {
    STAGE: 'staging',
    TABLE_NAME: 'jobs',
    BUCKET_NAME: 'drawings',
    MAX_UPLOAD_BYTES: '1024',
  };

  it('reads the requested settings, typed', () => {
    const config = loadConfig(['stage', 'tableName', 'bucketName', 'maxUploadBytes'], env);
    expect(config).toEqual({
      stage: 'staging',
      tableName: 'jobs',
      bucketName: 'drawings',
      maxUploadBytes: 1024,
    });
  });

  it('returns only what was asked for', () => {
    expect(Object.keys(loadConfig(['tableName'], env))).toEqual(['tableName']);
  });

  it('fails with the variable name when a required setting is missing', () => {
    expect(() => loadConfig(['queueUrl'], env)).toThrow(ConfigError);
    expect(() => loadConfig(['queueUrl'], env)).toThrow(/QUEUE_URL is required/);
  });

  it('rejects an unknown stage and says what was given', () => {
    expect(() => loadConfig(['stage'], { STAGE: 'qa' })).toThrow(
      /STAGE must be one of dev, staging, prod \(given qa\)/,
    );
  });

  it('rejects a malformed upload limit', () => {
    expect(() => loadConfig(['maxUploadBytes'], { MAX_UPLOAD_BYTES: '-5' })).toThrow(
      /MAX_UPLOAD_BYTES must be a positive integer \(given -5\)/,
    );
  });

  it('defaults the analyser to offline and the upload limit to 4 MiB', () => {
    expect(loadConfig(['analyser', 'maxUploadBytes'], {})).toEqual({
      analyser: 'offline',
      maxUploadBytes: 4 * 1024 * 1024,
    });
  });

  it('uses path-style S3 addressing only when an endpoint override is set', () => {
    expect(loadConfig(['s3ForcePathStyle'], {}).s3ForcePathStyle).toBe(false);
    expect(
      loadConfig(['s3ForcePathStyle'], { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' })
        .s3ForcePathStyle,
    ).toBe(true);
  });
});
