import { SimRpcError } from '../../../src/simulator/sim-rpc-error';
import { ESC_NS } from './sim-test-helpers';

describe('SimRpcError.toXml', () => {
  it('when only a tag and message are given, then it is an application error with the message in English', () => {
    expect(new SimRpcError('operation-failed', 'no').toXml()).toBe(
      '<rpc-error><error-type>application</error-type><error-tag>operation-failed</error-tag><error-severity>error</error-severity>' +
        '<error-message xml:lang="en">no</error-message></rpc-error>',
    );
  });

  it('when every detail is given, then they appear in RFC 6241 order with the esc prefix declared on the path', () => {
    const err = new SimRpcError('invalid-value', 'bad <value> & more', {
      type: 'protocol',
      path: "/rpc/x/esc:tenant[name='a&b']",
      badElement: 'name<',
      appTag: 'tag&',
    });
    expect(err.toXml()).toBe(
      '<rpc-error><error-type>protocol</error-type><error-tag>invalid-value</error-tag><error-severity>error</error-severity>' +
        '<error-app-tag>tag&amp;</error-app-tag>' +
        `<error-path xmlns:esc="${ESC_NS}">/rpc/x/esc:tenant[name='a&amp;b']</error-path>` +
        '<error-message xml:lang="en">bad &lt;value&gt; &amp; more</error-message>' +
        '<error-info><bad-element>name&lt;</bad-element></error-info></rpc-error>',
    );
  });

  it('when it is created, then it is an Error named SimRpcError with its tag', () => {
    const err = new SimRpcError('in-use', 'busy');
    expect(err).toBeInstanceOf(Error);
    expect([err.name, err.message, err.tag]).toEqual(['SimRpcError', 'busy', 'in-use']);
  });
});
