export { type OrdersConnectorOrigins, ordersConnector } from './ordersConnector.js';
export { type TokenAuthOptions, tokenAuth } from './tokenAuth.js';
