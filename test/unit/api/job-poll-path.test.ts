import { matchPollPath } from '../../../src/api/job-poll-path';

describe('matchPollPath', () => {
  const TYPE = 'ciscovnfmdriver';

  it.each([
    ['/api/ciscovnfmdriver/v1/m/jobs/j-1', { vnfmId: 'm', jobId: 'j-1', queryStart: -1 }],
    ['/api/ciscovnfmdriver/v1/m/jobs/j-1?responseId=3', { vnfmId: 'm', jobId: 'j-1', queryStart: 35 }],
    ['/api/ciscovnfmdriver/v1/m/jobs/j-1/', { vnfmId: 'm', jobId: 'j-1', queryStart: -1 }],
    ['/api/ciscovnfmdriver/v1/m/jobs/j-1/?', { vnfmId: 'm', jobId: 'j-1', queryStart: 36 }],
    ['/API/ciscovnfmdriver/V1/m/JOBS/j-1', { vnfmId: 'm', jobId: 'j-1', queryStart: -1 }],
  ])('when the path is %s, then it is a poll of that job under that vnfmid', (url, expected) => {
    expect(matchPollPath(url, TYPE)).toEqual(expected);
  });

  it.each([
    '/api/CISCOVNFMDRIVER/v1/m/jobs/j-1',
    '/api/other/v1/m/jobs/j-1',
    '/api/ciscovnfmdriverx/v1/m/jobs/j-1',
    '/api/ciscovnfmdriver/v2/m/jobs/j-1',
    '/api/ciscovnfmdriver/v1//jobs/j-1',
    '/api/ciscovnfmdriver/v1/m/jobs/',
    '/api/ciscovnfmdriver/v1/m/jobs',
    '/api/ciscovnfmdriver/v1/m/jobs/j-1//',
    '/api/ciscovnfmdriver/v1/m/jobs/j-1/extra',
    '/api/ciscovnfmdriver/v1/m/jobs/j%2D1',
    '/api/ciscovnfmdriver/v1/m%2Fx/jobs/j-1',
    '/api/ciscovnfmdriver/v1/m/jobs/j-1#x',
    '/api/ciscovnfmdriver/v1/m/vnfs/j-1',
    'http://host/api/ciscovnfmdriver/v1/m/jobs/j-1',
  ])('when the path is %s, then it is left to the routers', (url) => {
    expect(matchPollPath(url, TYPE)).toBeUndefined();
  });
});
