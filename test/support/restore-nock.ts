import nock from 'nock';

// Every test file loads its own nock, but the http module nock patches is shared by all files
// of a run. Left patched, the next file's nock wraps this one, whose stale layer then loses the
// errors replyWithError gives to http clients such as axios (fetch had a global per file).
afterAll(() => nock.restore());
