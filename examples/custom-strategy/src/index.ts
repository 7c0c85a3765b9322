export { type OrdersConnectorOrigins, ordersConnector } from './ordersConnector.js';
export { SESSION_LOGIN, type SessionLoginOptions, sessionLogin } from './sessionLogin.js';
