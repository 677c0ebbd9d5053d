export { register } from '@cachescope/instrument/register';
