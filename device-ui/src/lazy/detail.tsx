// detail.js: the detail view and locate mode (views/Detail.tsx), the device they follow (model/follow.ts)
// and the actions only they use (model/detail-actions.ts), loaded when a device is first opened. Everything
// else comes from the page (build/lazy.ts, src/page-api.ts).
import { actions } from '../model/actions.ts';
import { detailActions } from '../model/detail-actions.ts';

Object.assign(actions, detailActions);

export { Detail } from '../views/Detail.tsx';
